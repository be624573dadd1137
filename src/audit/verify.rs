//! Checking the audit log's hash chains (see the migration `audit_chain`): every row's hash
//! is recomputed from its fields and the hash before it, in one pass over the log, and the
//! first broken link of each chain is reported.

use sqlx::PgConnection;
use uuid::Uuid;

/// The first place a chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    /// The partner whose chain it is (`None`: the program-wide chain).
    pub partner: Option<String>,
    pub chain: Uuid,
    /// The number in the chain of the first row that does not hold.
    pub seq: i64,
    /// That row, if it exists (rows missing at the end have none).
    pub row: Option<Uuid>,
    pub problem: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chain = self
            .partner
            .clone()
            .unwrap_or_else(|| "the program-wide chain".into());
        write!(f, "{chain}: row {} ", self.seq)?;
        if let Some(row) = self.row {
            write!(f, "({row}) ")?;
        }
        write!(f, "{}", self.problem)
    }
}

/// What a check found: how much it read, and the first broken link of each chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: i64,
    pub chains: i64,
    pub broken: Vec<BrokenLink>,
}

/// Checks every chain, in one pass over the log. Needs a connection that sees every
/// partner's rows, and a statement time limit that allows the pass (seconds at a million rows).
pub async fn verify(conn: &mut PgConnection) -> sqlx::Result<ChainReport> {
    let broken = sqlx::query!(
        r#"with checked as (
               select a.chain, a.seq, a.id,
                      a.row_hash <> sha256(a.prev_hash || audit_row_payload(a)) as altered,
                      a.prev_hash <> coalesce(lag(a.row_hash) over w, ''::bytea) as relinked,
                      a.seq <> coalesce(lag(a.seq) over w, 0) + 1 as gap
               from audit_log a
               window w as (partition by a.chain order by a.seq)
           ), first_broken as (
               select distinct on (chain) chain, seq, id,
                      case when altered then 'was changed after it was written'
                           when gap then 'follows missing rows'
                           else 'does not link to the row before it' end as problem
               from checked where altered or relinked or gap
               order by chain, seq
           ), ends as (
               select h.chain, h.seq as head_seq, h.last_hash, t.seq, t.row_hash
               from audit_chain_heads h
               left join lateral (select seq, row_hash from audit_log l where l.chain = h.chain
                                  order by seq desc limit 1) t on true
           )
           select b.chain as "chain!", b.seq as "seq!", b.id as "row?", b.problem as "problem!",
                  p.name as "partner?"
           from (select chain, seq, id, problem from first_broken
                 union all
                 select chain, coalesce(seq, 0) + 1, null, 'is missing: the chain ended later than the log does'
                 from ends where seq is distinct from head_seq or row_hash is distinct from last_hash) b
           left join partners p on p.id = b.chain
           order by p.name nulls first, b.seq"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let totals = sqlx::query!(
        r#"select count(*) as "rows!", count(distinct chain) as "chains!" from audit_log"#
    )
    .fetch_one(&mut *conn)
    .await?;
    // A chain broken at its end and earlier is reported once, at its first break.
    let mut seen = std::collections::HashSet::new();
    let broken = broken
        .into_iter()
        .filter(|b| seen.insert(b.chain))
        .map(|b| BrokenLink {
            partner: b.partner,
            chain: b.chain,
            seq: b.seq,
            row: b.row,
            problem: b.problem,
        })
        .collect();
    Ok(ChainReport {
        rows: totals.rows,
        chains: totals.chains,
        broken,
    })
}
