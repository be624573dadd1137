//! A close's arithmetic: each partner's statement from its clients' histories, a batch of
//! partners at a time.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::commissions::{
    model::{
        prorated_commission, statement_total, tier_after_close, LineComputation, PartnerClose,
    },
    queries::{close::ClosePartner, history::for_each_history_between},
};
use crate::program::{Month, Tier};

/// A batch holds about this many clients (one transaction of the close, one range of the
/// events read at once); a partner larger than that is a batch of its own.
pub const BATCH_CLIENTS: i64 = 20_000;
/// And at most this many partners (small partners: one statement each to write).
const BATCH_PARTNERS: usize = 500;

/// One partner's computed statement for a month.
pub struct Computed {
    pub summary: PartnerClose,
    pub lines: Vec<LineComputation>,
}

/// A batch's statements, and how many clients they read.
pub struct Batch {
    pub computed: Vec<Computed>,
    pub clients: i64,
}

/// Splits `partners` (in id order) into consecutive batches of about `max_clients` clients.
pub fn batches(partners: Vec<ClosePartner>, max_clients: i64) -> Vec<Vec<ClosePartner>> {
    let mut all = Vec::new();
    let mut current: Vec<ClosePartner> = Vec::new();
    let mut clients = 0;
    for partner in partners {
        let full = clients + partner.clients > max_clients || current.len() == BATCH_PARTNERS;
        if full && !current.is_empty() {
            all.push(std::mem::take(&mut current));
            clients = 0;
        }
        clients += partner.clients;
        current.push(partner);
    }
    if !current.is_empty() {
        all.push(current);
    }
    all
}

/// Computes the statements of `partners` (one batch, in id order) for `month`.
pub async fn compute_batch(
    conn: &mut PgConnection,
    month: Month,
    partners: &[ClosePartner],
) -> sqlx::Result<Batch> {
    let (Some(first), Some(last)) = (partners.first(), partners.last()) else {
        return Ok(Batch {
            computed: Vec::new(),
            clients: 0,
        });
    };
    let mut computed: Vec<Computed> = partners.iter().map(start).collect();
    let index: HashMap<Uuid, usize> = partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();

    // Lines are computed at a provisional rate and repriced once the tier is known. The
    // range may hold partners that are not in the batch (done before a stop, or new): skipped.
    let end = month.end();
    let mut clients = 0;
    for_each_history_between(conn, first.id, last.id, end, |partner, history| {
        let Some(&i) = index.get(&partner) else {
            return;
        };
        clients += 1;
        let entry = &mut computed[i];
        if history.is_active_at(end) {
            entry.summary.active_clients += 1;
        }
        if let Some(line) = history.line(month, end, Tier::Bronze, Decimal::ZERO) {
            entry.lines.push(line);
        }
    })
    .await?;
    computed.iter_mut().for_each(price);
    Ok(Batch { computed, clients })
}

fn start(partner: &ClosePartner) -> Computed {
    Computed {
        summary: PartnerClose {
            partner_id: partner.id,
            partner_name: partner.name.clone(),
            tier_before: partner.tier,
            tier_after: partner.tier,
            pinned: partner.pinned,
            active_clients: 0,
            lines: 0,
            total: Decimal::ZERO,
        },
        lines: Vec::new(),
    }
}

/// The tier from the month-end count, every line at its rate, lines in client-name order.
fn price(entry: &mut Computed) {
    let s = &mut entry.summary;
    s.tier_after = tier_after_close(s.tier_before, s.pinned, s.active_clients);
    let (tier, rate) = (s.tier_after, s.tier_after.commission_rate());
    for line in &mut entry.lines {
        line.tier = tier;
        line.rate = rate;
        line.amount =
            prorated_commission(line.list_price, line.days_active, line.days_in_month, rate);
    }
    entry.lines.sort_by(|a, b| {
        a.client_name
            .to_lowercase()
            .cmp(&b.client_name.to_lowercase())
            .then(a.client_id.cmp(&b.client_id))
    });
    s.lines = entry.lines.len() as i64;
    s.total = statement_total(&entry.lines);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn partner(n: u128, clients: i64) -> ClosePartner {
        ClosePartner {
            id: Uuid::from_u128(n),
            name: format!("P{n}"),
            tier: Tier::Bronze,
            pinned: false,
            clients,
        }
    }

    #[test]
    fn a_partner_larger_than_a_batch_is_a_batch_of_its_own() {
        let split = batches(vec![partner(1, 5), partner(2, 50), partner(3, 5)], 10);
        let sizes: Vec<Vec<i64>> = split
            .iter()
            .map(|b| b.iter().map(|p| p.clients).collect())
            .collect();
        assert_eq!(sizes, vec![vec![5], vec![50], vec![5]]);
    }

    proptest! {
        #[test]
        fn batches_keep_every_partner_once_in_order_within_the_bound(
            sizes in proptest::collection::vec(0i64..300, 0..1_200),
            max in 1i64..1_000,
        ) {
            let partners: Vec<ClosePartner> =
                sizes.iter().enumerate().map(|(i, s)| partner(i as u128, *s)).collect();
            let split = batches(partners.clone(), max);
            let flat: Vec<ClosePartner> = split.iter().flatten().cloned().collect();
            prop_assert_eq!(flat, partners);
            for batch in &split {
                prop_assert!(!batch.is_empty());
                prop_assert!(batch.len() <= BATCH_PARTNERS);
                let clients: i64 = batch.iter().map(|p| p.clients).sum();
                prop_assert!(clients <= max || batch.len() == 1, "{clients} clients in {} partners", batch.len());
            }
        }
    }
}
