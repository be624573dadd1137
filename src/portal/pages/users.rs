//! `/app/users`: the account's users; its owner invites and removes them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    auth::context::CurrentUser,
    auth::model::Perm,
    components::{
        form::{field_error, kept_value, FormErrorSummary},
        loaded,
    },
    portal::{
        model::AccountUser,
        server::{list_account_users, InviteAccountUser, RemoveAccountUser},
    },
};

#[component]
pub fn AccountUsersPage() -> impl IntoView {
    let invite = ServerAction::<InviteAccountUser>::new();
    let remove = ServerAction::<RemoveAccountUser>::new();
    let users = page_data(
        move || (invite.version().get(), remove.version().get()),
        |_| list_account_users(),
    );
    let me = expect_context::<CurrentUser>().0;
    let invite_error = Signal::derive(move || invite.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    view! {
        <Title text="Users" />
        <header class="page-header"><h1>"Users"</h1><p class="muted">"People who can sign in to this account."</p></header>
        <FormErrorSummary error=remove_error />
        {loaded(users, move |users: Vec<AccountUser>| {
            let rows = users
                .into_iter()
                .map(|u| {
                    let action = (!u.is_owner).then(|| view! {
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="user_id" value=u.id.to_string() />
                            <button type="submit" class="button button-quiet button-small">"Remove"</button>
                        </ActionForm>
                    });
                    view! {
                        <tr>
                            <th scope="row">{u.name}</th>
                            <td>{u.email}</td>
                            <td>{if u.is_owner { "Owner" } else { "User" }}</td>
                            <td>{action}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-wrap"><table class="data-table">
                    <caption class="visually-hidden">"Users"</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            }
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let owner = me.await.ok().flatten().is_some_and(|m| m.has(Perm::ClientAdmin));
                owner.then(|| view! {
                    <section aria-labelledby="invite-title" class="card narrow">
                        <h2 id="invite-title">"Invite a user"</h2>
                        <ActionForm action=invite>
                            <FormErrorSummary error=invite_error />
                            {move || invite.value().get().is_some_and(|r| r.is_ok()).then(|| view! { <p class="form-ok" role="status">"Invitation sent."</p> })}
                            <div class="field">
                                <label for="email">"E-mail"</label>
                                <input id="email" name="email" type="email" required value=move || kept_value(invite_error.get(), "email") />
                                {move || field_error(invite_error.get(), "email")}
                            </div>
                            <button type="submit" class="button">"Send invitation"</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Transition>
    }
}
