//! The banner shown on every page while a reseller acts as a client. It cannot be dismissed;
//! its "End" button returns the reseller to the client's page in the partner area.

use leptos::prelude::*;

use super::server::EndImpersonation;
use crate::{
    auth::{context::CurrentUser, model::PrincipalKind},
    components::form::reload_on_success,
};

#[component]
pub fn ImpersonationBanner() -> impl IntoView {
    let me = expect_context::<CurrentUser>().0;
    let end = ServerAction::<EndImpersonation>::new();
    reload_on_success(end);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let me = me.await.ok().flatten()?;
                let acting = me.acting.clone()?;
                let client = match &me.kind {
                    PrincipalKind::ClientUser { client_name, .. } => client_name.clone(),
                    _ => String::new(),
                };
                Some(view! {
                    <div class="impersonation-banner" role="region" aria-label="Acting as a client" data-testid="impersonation-banner">
                        <p>
                            <strong>{acting.real_name.clone()}</strong> " is acting as " <strong>{client}</strong>
                            " · " <span data-testid="minutes-left">{acting.minutes_left}</span> " min left · everything is recorded"
                        </p>
                        <ActionForm action=end>
                            <button type="submit" class="button button-small">"End"</button>
                        </ActionForm>
                    </div>
                })
            })}
        </Transition>
    }
}
