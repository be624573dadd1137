//! `/partner/team`: the members with their role and last sign-in, a page at a time. The
//! owner also invites, resends and withdraws invitations, changes roles, removes members and
//! hands the ownership on; everyone else reads. Every form works without JavaScript (a plain
//! post is redirected back here with `?done=`), and the removal and the transfer each need a
//! ticked box.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{
        last_seen, PendingInvitation, TeamMember, TeamPage, TeamTwoFactor, TEAM_INVITATION_HOURS,
    },
    server::{
        get_team, ChangeRole, InviteMember, RemoveMember, ResendInvitation, RevokeInvitation,
        SetTeamTwoFactor, TransferOwnership,
    },
};
use crate::page_data::page_data;
use crate::{
    auth::model::Role,
    components::{
        form::{input_name, kept_value, message_for, Confirm, Field, FormErrorSummary},
        format, loaded,
        table::PositionPager,
    },
    error::AppError,
    program::Position,
};

/// The team page's actions, shared by its parts.
#[derive(Clone, Copy)]
struct TeamActions {
    invite: ServerAction<InviteMember>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    role: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
    transfer: ServerAction<TransferOwnership>,
    two_factor: ServerAction<SetTeamTwoFactor>,
}

impl TeamActions {
    fn new() -> Self {
        TeamActions {
            invite: ServerAction::new(),
            resend: ServerAction::new(),
            revoke: ServerAction::new(),
            role: ServerAction::new(),
            remove: ServerAction::new(),
            transfer: ServerAction::new(),
            two_factor: ServerAction::new(),
        }
    }

    /// Changes whenever any of them finishes, so that the list is read again.
    fn versions(&self) -> [usize; 7] {
        [
            self.invite.version().get(),
            self.resend.version().get(),
            self.revoke.version().get(),
            self.role.version().get(),
            self.remove.version().get(),
            self.transfer.version().get(),
            self.two_factor.version().get(),
        ]
    }

    /// The error a form posted without JavaScript came back with (each action reads its
    /// own from the URL when it is made; at most one has one).
    fn posted_error(&self) -> Option<AppError> {
        [
            self.resend.value().get_untracked().and_then(Result::err),
            self.revoke.value().get_untracked().and_then(Result::err),
            self.role.value().get_untracked().and_then(Result::err),
            self.remove.value().get_untracked().and_then(Result::err),
            self.transfer.value().get_untracked().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    /// Keeps `last` up to date with whichever change finished last: its `done` key, or
    /// its error (the invitation form shows its own errors, so only its success counts).
    fn track_last(&self, last: RwSignal<Option<Result<&'static str, AppError>>>) {
        track(self.invite, "invited", false, last);
        track(self.resend, "resent", true, last);
        track(self.revoke, "revoked", true, last);
        track(self.role, "role", true, last);
        track(self.remove, "removed", true, last);
        track(self.transfer, "transferred", true, last);
        track(self.two_factor, "two_factor", false, last);
    }
}

/// Sets `last` each time `action` finishes (with its error only when `errors`).
fn track<A>(
    action: ServerAction<A>,
    done: &'static str,
    errors: bool,
    last: RwSignal<Option<Result<&'static str, AppError>>>,
) where
    A: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Effect::new(move || match action.value().get() {
        Some(Ok(())) => last.set(Some(Ok(done))),
        Some(Err(error)) if errors => last.set(Some(Err(error))),
        _ => {}
    });
}

/// What a finished change says: from the action's answer with JavaScript, from the
/// redirect's `?done=` without.
fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "invited" => "Invitation sent.",
        "resent" => "Invitation sent again with a new link.",
        "revoked" => "Invitation withdrawn.",
        "role" => "Role changed.",
        "removed" => "Member removed. Their sessions have ended.",
        "transferred" => "Ownership transferred. You are now a manager.",
        "two_factor" => "The team's two-factor rule is saved.",
        "proposed" => "Proposal sent: the program team decides on it.",
        _ => return None,
    })
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let actions = TeamActions::new();
    let team = page_data(
        move || (position.get(), actions.versions()),
        |(position, _)| get_team(Some(position)),
    );
    // The latest change's outcome: with JavaScript each finished action sets it; without,
    // the page starts from the error the post came back with.
    let last = RwSignal::new(actions.posted_error().map(Err));
    actions.track_last(last);
    let answered = move || match last.get() {
        Some(Ok(done)) => Some(done.to_string()),
        Some(Err(_)) => None,
        None => params.read().get("done"),
    };
    let list_error = Signal::derive(move || last.get().and_then(Result::err));
    view! {
        <Title text="Team" />
        <header class="page-header">
            <h1>"Team"</h1>
            <p class="muted">"The people of your partner account and what each may do."</p>
        </header>
        {move || answered().as_deref().and_then(done_message).map(|m| view! { <p class="form-ok" role="status">{m}</p> })}
        <FormErrorSummary error=list_error />
        {loaded(team, move |page: TeamPage| view! { <TeamView page actions /> })}
        <crate::governance::proposal_pages::PartnerProfileCard />
    }
}

#[component]
fn TeamView(page: TeamPage, actions: TeamActions) -> impl IntoView {
    let TeamPage {
        members,
        links,
        member_count,
        invitations,
        manage,
        me,
        two_factor,
    } = page;
    let rows = members
        .into_iter()
        .map(|member| {
            let is_me = member.user_id == me;
            view! { <MemberRow member is_me manage actions /> }
        })
        .collect_view();
    let people = if member_count == 1 {
        "member"
    } else {
        "members"
    };
    view! {
        {(!manage).then(|| view! {
            <p class="notice">"Only the owner can invite people, change roles or remove members."</p>
        })}
        <div class="table-wrap">
            <table class="data-table team-table">
                <caption class="visually-hidden">"Team members"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"E-mail"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Joined"</th>
                        <th scope="col">"Last sign-in"</th>
                        <th scope="col">"Two-factor"</th>
                        {manage.then(|| view! { <th scope="col">"Manage"</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <PositionPager label="Team pages" path="/partner/team" links
            position=format!("{} {people}", format::count(member_count)) />
        {manage.then(|| view! {
            <Invitations invitations actions />
            <InviteForm action=actions.invite />
            <TwoFactorRule rule=two_factor action=actions.two_factor />
        })}
    }
}

#[component]
fn MemberRow(member: TeamMember, is_me: bool, manage: bool, actions: TeamActions) -> impl IntoView {
    let seen = last_seen(&member);
    let TeamMember {
        user_id,
        name,
        email,
        role,
        joined,
        two_factor,
        ..
    } = member;
    let id = user_id.to_string();
    let you = is_me.then_some(" (you)");
    let controls = (manage && role != Role::Owner).then(|| {
        let (remove_id, transfer_id) = (id.clone(), id.clone());
        let (remove_label, transfer_label) = (
            format!("Yes, remove {name} from the team; their sessions end now."),
            format!("Yes, make {name} the owner; I become a manager."),
        );
        let (remove_summary, transfer_summary, role_label) = (
            format!("Remove {name}…"),
            format!("Make {name} the owner…"),
            format!("Role of {name}"),
        );
        let options = Role::ASSIGNABLE
            .into_iter()
            .map(|r| view! { <option value=r.slug() selected=r == role>{r.label()}</option> })
            .collect_view();
        let select_id = format!("role-{id}");
        view! {
            <ActionForm action=actions.role attr:class="inline-form">
                <input type="hidden" name=input_name("user_id") value=id.clone() />
                <label class="visually-hidden" for=select_id.clone()>{role_label}</label>
                <select id=select_id name=input_name("role")>{options}</select>
                <button type="submit" class="button button-small button-quiet">"Change role"</button>
            </ActionForm>
            <details class="row-confirm">
                <summary>{remove_summary}</summary>
                <ActionForm action=actions.remove>
                    <input type="hidden" name=input_name("user_id") value=remove_id.clone() />
                    <Confirm id=format!("remove-{remove_id}") label=remove_label
                        error=Signal::derive(move || actions.remove.value().get().and_then(Result::err)) />
                    <button type="submit" class="button button-small button-danger">"Remove"</button>
                </ActionForm>
            </details>
            <details class="row-confirm">
                <summary>{transfer_summary}</summary>
                <ActionForm action=actions.transfer>
                    <input type="hidden" name=input_name("user_id") value=transfer_id.clone() />
                    <Confirm id=format!("transfer-{transfer_id}") label=transfer_label
                        error=Signal::derive(move || actions.transfer.value().get().and_then(Result::err)) />
                    <button type="submit" class="button button-small">"Transfer ownership"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <tr>
            <th scope="row">{name}{you}</th>
            <td>{email}</td>
            <td>{role.label()}</td>
            <td>{format::date(joined)}</td>
            <td>{seen}</td>
            <td>{if two_factor { "On" } else { "Off" }}</td>
            {manage.then(|| view! { <td>{controls}</td> })}
        </tr>
    }
}

#[component]
fn Invitations(invitations: Vec<PendingInvitation>, actions: TeamActions) -> impl IntoView {
    let body = if invitations.is_empty() {
        view! { <p class="empty">"No invitations are waiting."</p> }.into_any()
    } else {
        let rows = invitations
            .into_iter()
            .map(|i| {
                let (resend_id, revoke_id) = (i.id.to_string(), i.id.to_string());
                let expires = if i.expired {
                    "Expired".to_string()
                } else {
                    format::date_time(i.expires_at)
                };
                view! {
                    <tr>
                        <th scope="row">{i.email}</th>
                        <td>{i.role.label()}</td>
                        <td>{i.invited_by.unwrap_or_default()}</td>
                        <td>{expires}</td>
                        <td>
                            <ActionForm action=actions.resend attr:class="inline-form">
                                <input type="hidden" name="invitation_id" value=resend_id />
                                <button type="submit" class="button button-small button-quiet">"Resend"</button>
                            </ActionForm>
                            <ActionForm action=actions.revoke attr:class="inline-form">
                                <input type="hidden" name="invitation_id" value=revoke_id />
                                <button type="submit" class="button button-small button-quiet">"Withdraw"</button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Waiting invitations"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"E-mail"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Invited by"</th>
                            <th scope="col">"Link valid until"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="invitations-title">
            <h2 id="invitations-title">"Waiting invitations"</h2>
            {body}
        </section>
    }
}

#[component]
fn InviteForm(action: ServerAction<InviteMember>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let picked = move || {
        let kept = kept_value(error.get(), "role");
        if kept.is_empty() {
            Role::Sales.slug().to_string()
        } else {
            kept
        }
    };
    let options = move || {
        Role::ASSIGNABLE
            .into_iter()
            .map(|r| view! { <option value=r.slug() selected=picked() == r.slug()>{r.label()}</option> })
            .collect_view()
    };
    view! {
        <section class="card narrow" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite someone"</h2>
            <p class="muted">{format!("They get an e-mail with a link that works once, for {TEAM_INVITATION_HOURS} hours.")}</p>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="email" label="E-mail" required=true kind=Some("email") autocomplete=Some("off")
                    value=Signal::derive(move || kept_value(error.get(), "email"))
                    message=Signal::derive(move || message_for(error.get(), "email")) />
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" name=input_name("role")
                        aria-invalid=move || message_for(error.get(), "role").is_some().to_string()>{options}</select>
                    {move || message_for(error.get(), "role").map(|m| view! { <p class="field-error" id="role-error">{m}</p> })}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Send invitation"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The owner's switch for the team's two-factor rule: its state, who has not set it up,
/// and the one change it allows (requiring it needs a ticked box).
#[component]
fn TwoFactorRule(rule: TeamTwoFactor, action: ServerAction<SetTeamTwoFactor>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let without = match rule.members_without {
        0 => "Every member has it on.".to_string(),
        1 => "1 member has not set it up.".to_string(),
        n => format!("{} members have not set it up.", format::count(n)),
    };
    let state = if rule.required {
        "Required: members without it can use nothing but their account page until they set it up."
    } else {
        "Optional: each member decides."
    };
    let change = if rule.required {
        view! {
            <ActionForm action>
                <FormErrorSummary error />
                <input type="hidden" name=input_name("required") value="false" />
                <button type="submit" class="button button-quiet">"Make it optional"</button>
            </ActionForm>
        }
        .into_any()
    } else if !rule.mine {
        view! {
            <p class="muted">
                "To require it of the team, first turn it on for yourself on "
                <a href="/account#two-factor">"your account page"</a>"."
            </p>
        }
        .into_any()
    } else {
        let label = "Members without it must set it up before they can do anything else.";
        view! {
            <ActionForm action>
                <FormErrorSummary error />
                <input type="hidden" name=input_name("required") value="true" />
                <Confirm id="require-two-factor" label error />
                <button type="submit" class="button">"Require two-factor sign-in"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="card narrow" aria-labelledby="team-two-factor-title">
            <h2 id="team-two-factor-title">"Two-factor sign-in"</h2>
            <p data-testid="team-two-factor">{state}</p>
            <p class="muted">{without}</p>
            {change}
        </section>
    }
}
