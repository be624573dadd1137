//! The admin area's pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{LeaderRow, PartnerPage, ProgramOverview},
    partner_list::{PartnerQuery, PartnerSort, STATUSES},
    server::{get_program_overview, list_partners},
};
use crate::components::{
    format::{self, count, day, money},
    loaded,
    table::Pager,
};
use crate::page_data::page_data;
use crate::program::{Position, Tier};

/// `/admin`: program MRR, partners by tier, the leaderboard and payouts coming due.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let overview = page_data(|| (), |_| get_program_overview());
    view! {
        <Title text="Program overview" />
        <header class="page-header">
            <h1>"Program overview"</h1>
        </header>
        {loaded(overview, |o: ProgramOverview| view! { <OverviewView overview=o /> })}
        <super::integrity::IntegritySection />
    }
}

#[component]
fn OverviewView(overview: ProgramOverview) -> impl IntoView {
    let growth = crate::commissions::model::growth_percent(
        overview.totals.mrr_last_month,
        overview.totals.mrr,
    )
    .map(|g| format!("{g}% against last month's close"))
    .unwrap_or_else(|| "No MRR at last month's close".into());
    let tiers = overview
        .totals
        .partners_by_tier
        .iter()
        .map(|(tier, n)| {
            view! {
                <article class="card">
                    <h2 class="card-label"><span class=format!("tier-badge tier-{}", tier.slug())>{tier.label()}</span></h2>
                    <p class="card-value" data-testid=format!("tier-{}", tier.slug())>{count(*n)}</p>
                    <p class="card-note">"partners"</p>
                </article>
            }
        })
        .collect_view();
    let payouts = if overview.payouts_due.is_empty() {
        view! { <p class="empty">"No payout falls due in the next 30 days."</p> }.into_any()
    } else {
        let rows = overview
            .payouts_due
            .iter()
            .map(|p| {
                view! {
                    <tr>
                        <th scope="row">{p.partner_name.clone()}</th>
                        <td>{day(p.due_on)} " · " {p.state.label()}</td>
                        <td class="num">{money(p.amount)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table compact" data-testid="payouts-due">
                    <caption class="visually-hidden">"Payouts due in the next 30 days"</caption>
                    <thead><tr><th scope="col">"Partner"</th><th scope="col">"Due"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p>
                {overview.more_payouts_due.then(|| view! { <span class="muted">"The soonest due are shown. "</span> })}
                <a href="/admin/payouts">"Record payments"</a>
            </p>
        }
        .into_any()
    };
    view! {
        <section class="cards" aria-label="Program">
            <article class="card">
                <h2 class="card-label">"Program MRR"</h2>
                <p class="card-value" data-testid="program-mrr">{money(overview.totals.mrr)}</p>
                <p class="card-note">{growth}</p>
            </article>
            <article class="card">
                <h2 class="card-label">"Payouts due in 30 days"</h2>
                <p class="card-value">{money(overview.totals.due_total)}</p>
                <p class="card-note">{count(overview.totals.due_count)} " payouts"</p>
            </article>
            {tiers}
        </section>
        <div class="two-columns">
            <Leaderboard title="Top partners by MRR" id="top-mrr" rows=overview.totals.top_by_mrr.clone()
                empty="No partner has MRR yet." />
            <Leaderboard title="Top partners by MRR growth" id="top-growth" rows=overview.totals.top_by_growth.clone()
                empty="No partner's MRR grew since last month's close." />
        </div>
        <p><a href="/admin/leaderboard">"The last closed month's whole board"</a>" · download it with each partner's health as "<a href="/admin/leaderboard.csv" rel="external" download>"CSV"</a>" or "<a href="/admin/leaderboard.xlsx" rel="external" download>"Excel"</a></p>
        <section aria-labelledby="due-title">
            <h2 id="due-title">"Payouts due in the next 30 days"</h2>
            {payouts}
        </section>
    }
}

#[component]
fn Leaderboard(
    title: &'static str,
    id: &'static str,
    rows: Vec<LeaderRow>,
    empty: &'static str,
) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class="empty">{empty}</p> }.into_any()
    } else {
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let change = r.change();
                let growth = r.growth_percent().map(|g| format!(" ({g}%)")).unwrap_or_default();
                view! {
                    <tr>
                        <td class="num">{i + 1}</td>
                        <th scope="row">{r.name.clone()}</th>
                        <td class="num">{money(r.mrr)}</td>
                        <td class="num">{if change.is_sign_negative() { String::new() } else { "+".into() }}{money(change)}{growth}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="data-table compact" data-testid=id>
                <caption class="visually-hidden">{title}</caption>
                <thead><tr><th scope="col" class="num">"#"</th><th scope="col">"Partner"</th><th scope="col" class="num">"MRR"</th><th scope="col" class="num">"Change"</th></tr></thead>
                <tbody>{items}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{title}</h2>
            {body}
        </section>
    }
}

/// `/admin/partners`: every partner with tier, status and clients, searched, filtered and
/// sorted, a page at a time; "Export CSV" downloads the list as it is filtered.
#[component]
pub fn AdminPartnersPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| PartnerQuery::from_params(|k| p.get(k))));
    let partners = page_data(move || query.get(), |q| list_partners(Some(q)));
    view! {
        <Title text="Partners" />
        <header class="page-header">
            <h1>"Partners"</h1>
            <p class="muted">"Every partner in the program, with tier, status and clients."</p>
            <a class="button" href="/admin/partners/new">"New partner"</a>
        </header>
        <PartnerFilters query=query.get_untracked() />
        {loaded(partners, move |page: PartnerPage| view! { <PartnerTable page query=query.get_untracked() /> })}
    }
}

#[component]
fn PartnerFilters(query: PartnerQuery) -> impl IntoView {
    let tiers = Tier::ALL.map(
        |t| view! { <option value=t.slug() selected=query.tier == Some(t)>{t.label()}</option> },
    );
    let statuses = STATUSES.map(|(s, value)| view! { <option value=value selected=query.status == Some(s)>{s.label()}</option> });
    let sorts = PartnerSort::ALL.map(
        |(s, value, label)| view! { <option value=value selected=query.sort == s>{label}</option> },
    );
    let filter = query.query_string(|q| q.position = Position::First);
    let export = move |ext: &str| format!("/admin/partners/export.{ext}?{filter}");
    view! {
        <form method="get" action="/admin/partners" class="filters" role="search" aria-label="Filter partners">
            <div class="field">
                <label for="q">"Search name or slug"</label>
                <input id="q" name="q" type="search" maxlength="100" value=query.search.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="tier">"Tier"</label>
                <select id="tier" name="tier"><option value="">"Any tier"</option>{tiers}</select>
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status"><option value="">"Any status"</option>{statuses}</select>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">{sorts}</select>
            </div>
            <button type="submit" class="button">"Apply filters"</button>
            <a class="button button-quiet" href=export("csv") rel="external" download>"Export CSV"</a>
            <a class="button button-quiet" href=export("xlsx") rel="external" download>"Export Excel"</a>
        </form>
    }
}

#[component]
fn PartnerTable(page: PartnerPage, query: PartnerQuery) -> impl IntoView {
    let PartnerPage { rows, links, total } = page;
    if rows.is_empty() {
        let empty = if query.filtered() {
            "No partners match these filters."
        } else {
            "No partners yet. Approved applications appear here."
        };
        return view! { <p class="empty" role="status">{empty}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/partners/{}", p.id)>{p.name}</a><span class="muted small">" · " {p.slug}</span></th>
                    <td>
                        <span class=format!("tier-badge tier-{}", p.tier.slug())>{p.tier.label()}</span>
                        {p.tier_pinned.then_some(view! { <span class="muted small">" pinned"</span> })}
                        {p.certification.map(|track| view! { <br /><crate::certifications::pages::LevelBadge level=Some(track) /> })}
                    </td>
                    <td>{p.status.label()}</td>
                    <td class="num">{count(p.active_clients)}</td>
                    <td class="num">{count(p.open_clients)}</td>
                    <td class="num">{count(p.members)}</td>
                </tr>
            }
        })
        .collect_view();
    let at = |p: &Position| query.at(p);
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="partners">
                <caption class="visually-hidden">"Partners"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Active clients"</th>
                        <th scope="col" class="num">"Clients"</th>
                        <th scope="col" class="num">"Members"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <Pager
            label="Partner pages"
            first=links.first.as_ref().map(at)
            previous=links.previous.as_ref().map(at)
            next=links.next.as_ref().map(at)
            last=links.last.as_ref().map(at)
            position=format!("{} partners", format::total(total))
        />
    }
    .into_any()
}
