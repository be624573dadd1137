//! The frame around every page: skip link, brand, navigation for the signed-in role, and
//! the sign-out button.

use leptos::{either::Either, prelude::*};

use crate::auth::{
    context::{AuthActions, CurrentUser},
    model::{PartnerStatus, Perm, Principal, PrincipalKind},
};

/// The links a principal's navigation shows, in order.
pub fn nav_links(me: &Principal) -> Vec<(&'static str, &'static str)> {
    match me.kind {
        PrincipalKind::Admin => vec![
            ("/admin", "Overview"),
            ("/admin/partners", "Partners"),
            ("/admin/applications", "Applications"),
            ("/admin/deals", "Deals"),
            ("/admin/leads", "Leads"),
            ("/admin/commissions", "Commissions"),
            ("/admin/payouts", "Payouts"),
            ("/admin/audit", "Audit log"),
        ],
        PrincipalKind::Member { .. } if me.has(Perm::Commissions) => {
            let mut links = vec![
                ("/partner", "Dashboard"),
                ("/partner/clients", "Clients"),
                ("/partner/deals", "Deals"),
                ("/partner/leads", "Leads"),
                ("/partner/leaderboard", "Leaderboard"),
                ("/partner/commissions", "Commissions"),
                ("/partner/branding", "Branding"),
                ("/partner/team", "Team"),
                ("/partner/audit", "Audit log"),
            ];
            if me.has(Perm::ApiKeys) {
                links.push(("/partner/api-keys", "API keys"));
            }
            if me.has(Perm::Webhooks) {
                links.push(("/partner/webhooks", "Webhooks"));
            }
            links
        }
        PrincipalKind::Member { .. } => vec![
            ("/partner", "Dashboard"),
            ("/partner/clients", "Clients"),
            ("/partner/deals", "Deals"),
            ("/partner/leads", "Leads"),
            ("/partner/leaderboard", "Leaderboard"),
            ("/partner/team", "Team"),
        ],
        PrincipalKind::ClientUser { is_owner: true, .. } if me.acting.is_none() => {
            vec![
                ("/app", "My account"),
                ("/app/users", "Users"),
                ("/app/support-access", "Support access"),
            ]
        }
        PrincipalKind::ClientUser { .. } => vec![("/app", "My account"), ("/app/users", "Users")],
    }
}

/// A short description of who is signed in, e.g. "Owner at Northwind".
pub fn role_line(me: &Principal) -> String {
    match &me.kind {
        PrincipalKind::Admin => "Program admin".into(),
        PrincipalKind::Member {
            role, partner_name, ..
        } => format!("{} at {partner_name}", role.label()),
        PrincipalKind::ClientUser { client_name, .. } => client_name.clone(),
    }
}

/// The header: the skip link, the brand mark (its children, passed in by the app), and the
/// navigation of whoever is signed in.
#[component]
pub fn SiteHeader(children: Children) -> impl IntoView {
    let me = expect_context::<CurrentUser>().0;
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            {children()}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(user)) => Either::Left(view! { <SignedInNav user /> }),
                        _ => Either::Right(view! {
                            <nav aria-label="Main" class="main-nav">
                                <a href="/apply">"Apply"</a>
                                <a href="/login" class="button button-small">"Sign in"</a>
                            </nav>
                        }),
                    }
                })}
            </Transition>
        </header>
        // A frozen partner's members are told on every page why nothing can be changed, and
        // a person who must set up two-factor sign-in where to do it.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let me = me.await.ok().flatten();
                let frozen = matches!(
                    me,
                    Some(Principal {
                        kind: PrincipalKind::Member { partner_status: PartnerStatus::Frozen, .. },
                        ..
                    })
                );
                let two_factor_missing = me.is_some_and(|me| me.two_factor.missing());
                view! {
                    {frozen.then(|| view! {
                        <p class="notice site-notice" role="status" data-testid="frozen-notice">
                            {crate::auth::FROZEN_NOTICE}
                        </p>
                    })}
                    {two_factor_missing.then(|| view! {
                        <p class="notice site-notice" role="status" data-testid="two-factor-notice">
                            "Two-factor sign-in is required for your account. "
                            <a href="/account#two-factor">"Set it up now"</a>
                        </p>
                    })}
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedInNav(user: Principal) -> impl IntoView {
    let actions = expect_context::<AuthActions>();
    let links = nav_links(&user)
        .into_iter()
        .map(|(href, label)| view! { <a href=href>{label}</a> })
        .collect_view();
    view! {
        <nav aria-label="Main" class="main-nav">{links}</nav>
        <div class="account">
            // Your own account, except while acting as a client (it is not yours).
            {if user.acting.is_none() {
                view! {
                    <a class="account-name" href="/account" title="Your account">
                        <strong>{user.display_name.clone()}</strong>
                        <span class="account-role">{role_line(&user)}</span>
                    </a>
                }.into_any()
            } else {
                view! {
                    <span class="account-name">
                        <strong>{user.display_name.clone()}</strong>
                        <span class="account-role">{role_line(&user)}</span>
                    </span>
                }.into_any()
            }}
            <ActionForm action=actions.logout>
                <button type="submit" class="button button-quiet button-small">"Sign out"</button>
            </ActionForm>
        </div>
    }
}
