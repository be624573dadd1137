//! What a member can do with a protected deal, in its row: record activity (which extends
//! the protection) and convert it into a client (behind a ticked box). Each opens in place.

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    components::form::{input_name, message_for, Confirm, FormErrorSummary},
    deals::server::{ConvertDeal, RecordDealActivity, RequestExtension},
};

/// The page's two actions, shared by every row.
#[derive(Clone, Copy)]
pub struct RowActions {
    pub activity: ServerAction<RecordDealActivity>,
    pub convert: ServerAction<ConvertDeal>,
    pub extension: ServerAction<RequestExtension>,
}

#[component]
pub fn ProtectedDealActions(
    id: Uuid,
    company: String,
    /// Whether more time is asked already (no second request).
    asked: bool,
    actions: RowActions,
) -> impl IntoView {
    let RowActions {
        activity,
        convert,
        extension,
    } = actions;
    let ask_sent = RwSignal::new(false);
    let ask_error = Signal::derive(move || {
        ask_sent
            .get()
            .then(|| extension.value().get().and_then(Result::err))
            .flatten()
    });
    let ask_id = format!("ask-{id}");
    let ask = (!asked).then(|| {
        view! {
            <details class="row-confirm" on:submit=move |_| ask_sent.set(true)>
                <summary>{format!("Ask for more time on {company}…")}</summary>
                <ActionForm action=extension>
                    <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                    <div class="field">
                        <label for=ask_id.clone()>"Why it needs more time *"</label>
                        <input id=ask_id type="text" name=input_name("reason") maxlength="500" required=true />
                        {move || message_for(ask_error.get(), "reason").map(|m| view! { <p class="field-error">{m}</p> })}
                    </div>
                    <FormErrorSummary error=ask_error />
                    <button type="submit" class="button button-small">"Ask"</button>
                </ActionForm>
            </details>
        }
    });
    // Only the row whose form was sent shows that form's message.
    let activity_sent = RwSignal::new(false);
    let convert_sent = RwSignal::new(false);
    let activity_error = Signal::derive(move || {
        activity_sent
            .get()
            .then(|| activity.value().get().and_then(Result::err))
            .flatten()
    });
    let convert_error = Signal::derive(move || {
        convert_sent
            .get()
            .then(|| convert.value().get().and_then(Result::err))
            .flatten()
    });
    let note_id = format!("note-{id}");
    view! {
        {ask}
        <details class="row-confirm" on:submit=move |_| activity_sent.set(true)>
            <summary>{format!("Record activity on {company}…")}</summary>
            <ActionForm action=activity>
                <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                <div class="field">
                    <label for=note_id.clone()>"What happened *"</label>
                    <input id=note_id type="text" name=input_name("note") maxlength="500" required=true
                        placeholder="Demo with their IT team" />
                    {move || message_for(activity_error.get(), "note").map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <p class="help">"Keeps the deal protected for at least 30 more days, up to 180 days after its approval."</p>
                <button type="submit" class="button button-small">"Record"</button>
            </ActionForm>
        </details>
        <details class="row-confirm" on:submit=move |_| convert_sent.set(true)>
            <summary>{format!("Won: convert {company} into a client…")}</summary>
            <ActionForm action=convert>
                <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                <Confirm id=format!("convert-{id}")
                    label=format!("Yes, {company} bought: make it a client and invite its contact.")
                    error=convert_error />
                <FormErrorSummary error=convert_error />
                <button type="submit" class="button button-small">"Convert"</button>
            </ActionForm>
        </details>
    }
}
