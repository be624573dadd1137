//! `/app/support-access`: every time the reseller logged in as this account, and the switch
//! that turns it off.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    components::{format::date_time, loaded},
    impersonation::{
        model::SupportAccessPage as AccessData,
        server::{get_support_access, SetResellerAccess},
    },
};

#[component]
pub fn SupportAccessPage() -> impl IntoView {
    let set = ServerAction::<SetResellerAccess>::new();
    let data = page_data(move || set.version().get(), |_| get_support_access());
    view! {
        <Title text="Support access" />
        <header class="page-header"><h1>"Support access"</h1>
            <p class="muted">"When your reseller logged in to your account to help, why, and what they did."</p></header>
        {loaded(data, move |d: AccessData| {
            let switch = if d.access_enabled {
                view! {
                    <p>{d.reseller_name.clone()} " can log in to your account to help you."</p>
                    <ActionForm action=set>
                        <input type="hidden" name="enabled" value="false" />
                        <button type="submit" class="button button-danger">"Turn reseller access off"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <p data-testid="access-off">"Reseller access is off: " {d.reseller_name.clone()} " cannot log in to your account."</p>
                    <ActionForm action=set>
                        <input type="hidden" name="enabled" value="true" />
                        <button type="submit" class="button">"Turn reseller access on"</button>
                    </ActionForm>
                }.into_any()
            };
            let rows = if d.accesses.is_empty() {
                view! { <p class="empty">"Your reseller has not logged in to your account."</p> }.into_any()
            } else {
                let rows = d.accesses.into_iter().map(|a| {
                    let changes = if a.changes.is_empty() { "Looked only".to_string() } else { a.changes.join(", ") };
                    view! {
                        <tr>
                            <th scope="row">{a.who}</th>
                            <td>{a.started_at.map(date_time)}</td>
                            <td>{a.ended_at.map(date_time).unwrap_or_else(|| "in progress".into())}</td>
                            <td>{a.reason}</td>
                            <td>{changes}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="table-wrap"><table class="data-table" data-testid="accesses">
                        <caption class="visually-hidden">"Support accesses"</caption>
                        <thead><tr><th scope="col">"Who"</th><th scope="col">"Started"</th><th scope="col">"Ended"</th><th scope="col">"Reason"</th><th scope="col">"What changed"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                }.into_any()
            };
            view! { <section class="card narrow">{switch}</section> {rows} }
        })}
    }
}
