//! `/admin/leaderboard`: the last closed month's whole board, every partner named, by rank,
//! fifty at a time by cursor, with each partner's health score; the CSV holds the same with
//! the score's parts. Admins only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    components::{format, loaded, table::PositionPager},
    error::AppError,
    page_data::page_data,
    program::{PageLinks, Position, Tier},
};

/// Partners per page.
pub const BOARD_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminBoardLine {
    pub rank: i32,
    pub partner_id: Uuid,
    pub name: String,
    pub tier: Tier,
    pub mrr_growth: Decimal,
    pub score: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminBoard {
    /// The last closed month, `None` before the first close.
    pub month: Option<String>,
    pub lines: Vec<AdminBoardLine>,
    pub links: PageLinks,
}

/// A page of the last closed month's board, by rank. Admins only.
#[server(endpoint = "admin/leaderboard")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_admin_board(position: Option<Position>) -> Result<AdminBoard, AppError> {
    crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let pool = crate::state::pool()?;
    Ok(board(&pool, &position.unwrap_or_default()).await?)
}

#[cfg(feature = "ssr")]
async fn board(pool: &sqlx::PgPool, position: &Position) -> sqlx::Result<AdminBoard> {
    use crate::db::keyset::SortKey;

    #[derive(sqlx::FromRow)]
    struct Row {
        growth_rank: i32,
        partner_id: Uuid,
        name: String,
        tier: Tier,
        mrr_growth: Decimal,
        score: Decimal,
        page_key: Vec<String>,
    }
    let month: Option<chrono::NaiveDate> =
        sqlx::query_scalar("select max(month) from partner_health")
            .fetch_one(pool)
            .await?;
    let Some(month) = month else {
        return Ok(AdminBoard {
            month: None,
            lines: Vec::new(),
            links: PageLinks::default(),
        });
    };
    let key = SortKey::new(
        &[("h.growth_rank", "int4"), ("h.partner_id", "uuid")],
        false,
    );
    let mut page = sqlx::QueryBuilder::new(format!(
        "select h.growth_rank, h.partner_id, p.name, p.tier, h.mrr_growth, h.score,
                {} as page_key
         from partner_health h join partners p on p.id = h.partner_id where h.month = ",
        key.select()
    ));
    page.push_bind(month);
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, BOARD_PAGE);
    let rows: Vec<Row> = page.build_query_as().fetch_all(pool).await?;
    let (lines, links) = key.finish(
        rows.into_iter()
            .map(|r| {
                (
                    AdminBoardLine {
                        rank: r.growth_rank,
                        partner_id: r.partner_id,
                        name: r.name,
                        tier: r.tier,
                        mrr_growth: r.mrr_growth,
                        score: r.score,
                    },
                    r.page_key,
                )
            })
            .collect(),
        position,
        BOARD_PAGE,
    );
    Ok(AdminBoard {
        month: Some(month.format("%Y-%m").to_string()),
        lines,
        links,
    })
}

#[component]
pub fn AdminLeaderboardPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let board = page_data(
        move || position.get(),
        |position| get_admin_board(Some(position)),
    );
    view! {
        <Title text="Leaderboard" />
        <header class="page-header">
            <h1>"Leaderboard"</h1>
            <p class="muted">
                "Every partner by MRR growth in the last closed month, with its health score. "
                "Download it with each score's parts as "
                <a href="/admin/leaderboard.csv" rel="external" download>"CSV"</a>" or "
                <a href="/admin/leaderboard.xlsx" rel="external" download>"Excel"</a>"."
            </p>
        </header>
        {loaded(board, |board: AdminBoard| {
            let Some(month) = board.month else {
                return view! { <p class="empty">"The first board comes with the first monthly close."</p> }.into_any();
            };
            let rows = board
                .lines
                .into_iter()
                .map(|line| view! {
                    <tr>
                        <td class="num">{line.rank}</td>
                        <th scope="row"><a href=format!("/admin/partners/{}", line.partner_id)>{line.name}</a></th>
                        <td>{line.tier.label()}</td>
                        <td class="num">{format::money(line.mrr_growth)}</td>
                        <td class="num">{line.score.to_string()}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="admin-leaderboard">
                        <caption>{format!("The board of {month}")}</caption>
                        <thead><tr>
                            <th scope="col" class="num">"#"</th><th scope="col">"Partner"</th><th scope="col">"Tier"</th>
                            <th scope="col" class="num">"MRR growth"</th><th scope="col" class="num">"Health"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <PositionPager label="Board pages" path="/admin/leaderboard" links=board.links position=String::new() />
            }
            .into_any()
        })}
    }
}
