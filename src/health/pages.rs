//! Health and the leaderboard on the pages: the dashboard's health card (the score, its
//! parts and their weights, the trend) and `/partner/leaderboard`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{BoardLine, HealthMonth, Leaderboard, WEIGHTS},
    server::{get_health, get_leaderboard, SetLeaderboardOptIn},
};
use crate::{
    components::{format, loaded, loaded_part},
    page_data::page_data,
};

/// The dashboard's card.
#[component]
pub fn HealthCard() -> impl IntoView {
    let data = page_data(|| (), |_| get_health());
    loaded_part(data, |months: Vec<HealthMonth>| {
        let body = match months.first().cloned() {
            None => view! { <p class="empty">"Your first health score comes with the next monthly close."</p> }.into_any(),
            Some(latest) => view! { <HealthView latest months /> }.into_any(),
        };
        view! {
            <section class="card" aria-labelledby="health-title" data-testid="health">
                <h2 id="health-title">"Partner health"</h2>
                {body}
            </section>
        }
    })
}

#[component]
fn HealthView(latest: HealthMonth, months: Vec<HealthMonth>) -> impl IntoView {
    let parts = WEIGHTS
        .into_iter()
        .map(|(part, weight)| {
            view! {
                <tr><th scope="row">{part.label()}</th><td class="num">{format!("{weight}%")}</td>
                <td class="num">{latest.health.part(part).to_string()}</td></tr>
            }
        })
        .collect_view();
    let trend = months
        .into_iter()
        .map(|m| {
            view! {
                <tr><th scope="row">{m.month}</th><td class="num">{m.health.score.to_string()}</td>
                <td class="num">{format!("{} of {}", m.rank, format::count(m.partners))}</td></tr>
            }
        })
        .collect_view();
    view! {
        <p class="card-value" data-testid="health-score">{latest.health.score.to_string()}<span class="muted small">" / 100, " {latest.month.clone()}</span></p>
        <div class="two-columns">
            <table class="data-table compact">
                <caption>"What it is made of"</caption>
                <thead><tr><th scope="col">"Part"</th><th scope="col" class="num">"Weight"</th><th scope="col" class="num">"Score"</th></tr></thead>
                <tbody>{parts}</tbody>
            </table>
            <table class="data-table compact">
                <caption>"Trend"</caption>
                <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Health"</th><th scope="col" class="num">"Growth rank"</th></tr></thead>
                <tbody>{trend}</tbody>
            </table>
        </div>
        <p><a href="/partner/leaderboard">"See the leaderboard"</a></p>
    }
}

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let params = use_query_map();
    let save = ServerAction::<SetLeaderboardOptIn>::new();
    let board = page_data(move || save.version().get(), |_| get_leaderboard());
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            || params.read().get("done").as_deref() == Some("saved")
    };
    view! {
        <Title text="Leaderboard" />
        <header class="page-header">
            <h1>"Leaderboard"</h1>
            <p class="muted">"Partners by MRR growth in the last closed month. Other partners' names show only where they chose to."</p>
        </header>
        {move || saved().then(|| view! { <p class="form-ok" role="status">"Saved."</p> })}
        {loaded(board, move |board: Leaderboard| view! { <BoardView board save /> })}
    }
}

fn line_name(line: &BoardLine) -> String {
    match &line.name {
        Some(name) => name.clone(),
        None => format!("A {} partner", line.tier.label()),
    }
}

#[component]
fn BoardView(board: Leaderboard, save: ServerAction<SetLeaderboardOptIn>) -> impl IntoView {
    let Some(own) = board.own.clone() else {
        return view! { <p class="empty">"The first board comes with the next monthly close."</p> }
            .into_any();
    };
    let rows = board
        .top
        .iter()
        .map(|line| {
            view! {
                <tr class:own-line=line.own>
                    <td class="num">{line.rank}</td>
                    <th scope="row">{line_name(line)}</th>
                    <td class="num">{format::money(line.mrr_growth)}</td>
                </tr>
            }
        })
        .collect_view();
    let opt = board.can_opt.then(|| {
        view! {
            <section class="card narrow" aria-labelledby="opt-title">
                <h2 id="opt-title">"Your name on the board"</h2>
                <ActionForm action=save>
                    <div class="field field-check">
                        <input id="opt-in" type="checkbox" name="opt_in" value="on" checked=board.opted_in />
                        <label for="opt-in">"Show our name to other partners"</label>
                    </div>
                    <button type="submit" class="button button-small">"Save"</button>
                </ActionForm>
            </section>
        }
    });
    view! {
        <p data-testid="own-rank" class="card-value">
            {format!("#{} of {}", own.rank, format::count(board.partners))}
            <span class="muted small">{format!(" in {}, MRR growth {}", board.month.clone().unwrap_or_default(), format::money(own.mrr_growth))}</span>
        </p>
        <table class="data-table" data-testid="leaderboard">
            <caption>{format!("Top {} of {}", board.top.len(), board.month.unwrap_or_default())}</caption>
            <thead><tr><th scope="col" class="num">"#"</th><th scope="col">"Partner"</th><th scope="col" class="num">"MRR growth"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {opt}
    }
    .into_any()
}
