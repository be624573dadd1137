-- A tamper-evident audit log. Each partner's rows form a chain, and so do the program-wide
-- rows (no partner: the chain of the nil uuid). Each row holds its number in its chain
-- (seq), the hash of the row before it (prev_hash) and its own hash:
--
--   row_hash = SHA-256(prev_hash || the row's fields, in a fixed text form)
--
-- so that a row changed, removed or inserted behind the app's back breaks the chain from
-- there on: `partner-portal audit verify` recomputes every chain and reports the first
-- broken link of each. (Someone able to rewrite every later row and the chain's head could
-- hide a change: keep copies of the heads elsewhere to rule that out too.)
--
-- A trigger fills the columns on insert, whoever inserts: the app's code is unchanged. The
-- chain's head row is locked from the insert until the transaction ends, so the rows of one
-- chain are numbered in the order their transactions commit.

-- The owner's policy follows app.scope: this migration sees every row.
select set_config('app.scope', 'all', true);

alter table audit_log add column chain uuid;
alter table audit_log add column seq bigint;
alter table audit_log add column prev_hash bytea;
alter table audit_log add column row_hash bytea;

-- Each chain's last row: its number and hash. Written only by the trigger (as its owner).
create table audit_chain_heads (
    chain     uuid primary key,
    seq       bigint not null,
    last_hash bytea not null
);
-- Only the trigger writes it; program-wide work (the verifier) may read it.
revoke all on audit_chain_heads from public, portal_app, portal_admin;
grant select on audit_chain_heads to portal_admin;

-- The fields of a row as hashed: each in a fixed text form, separated by the unit separator.
create function audit_row_payload(r audit_log) returns bytea
    language sql stable
    set search_path = public, pg_temp
    as $$
        select convert_to(concat_ws(chr(31),
            r.chain::text, r.seq::text, r.id::text,
            to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            coalesce(r.actor_user_id::text, ''), coalesce(r.real_user_id::text, ''),
            coalesce(r.impersonation_id::text, ''), coalesce(r.partner_id::text, ''),
            r.action, coalesce(r.target_type, ''), coalesce(r.target_id::text, ''),
            coalesce(r.client_addr::text, ''), r.detail::text), 'UTF8')
    $$;

create function audit_log_chain() returns trigger
    language plpgsql security definer
    set search_path = public, pg_temp
    as $$
declare
    head audit_chain_heads%rowtype;
begin
    new.chain := coalesce(new.partner_id, '00000000-0000-0000-0000-000000000000'::uuid);
    insert into audit_chain_heads (chain, seq, last_hash) values (new.chain, 0, ''::bytea)
        on conflict (chain) do nothing;
    select * into head from audit_chain_heads where chain = new.chain for update;
    new.seq := head.seq + 1;
    new.prev_hash := head.last_hash;
    new.row_hash := sha256(new.prev_hash || audit_row_payload(new));
    update audit_chain_heads set seq = new.seq, last_hash = new.row_hash
        where chain = new.chain;
    return new;
end
$$;

-- The rows written before today, chained in the order they happened.
alter table audit_log disable trigger audit_log_no_update_or_delete;
do $$
declare
    r audit_log%rowtype;
    previous bytea := ''::bytea;
    current_chain uuid;
    n bigint := 0;
begin
    for r in
        select * from audit_log
        order by coalesce(partner_id, '00000000-0000-0000-0000-000000000000'::uuid), occurred_at, id
    loop
        r.chain := coalesce(r.partner_id, '00000000-0000-0000-0000-000000000000'::uuid);
        if current_chain is distinct from r.chain then
            current_chain := r.chain;
            previous := ''::bytea;
            n := 0;
        end if;
        n := n + 1;
        r.seq := n;
        r.prev_hash := previous;
        r.row_hash := sha256(previous || audit_row_payload(r));
        update audit_log set chain = r.chain, seq = r.seq, prev_hash = r.prev_hash,
                             row_hash = r.row_hash
            where id = r.id;
        previous := r.row_hash;
    end loop;
end
$$;
alter table audit_log enable trigger audit_log_no_update_or_delete;

insert into audit_chain_heads (chain, seq, last_hash)
select distinct on (chain) chain, seq, row_hash from audit_log order by chain, seq desc;

alter table audit_log alter column chain set not null;
alter table audit_log alter column seq set not null;
alter table audit_log alter column prev_hash set not null;
alter table audit_log alter column row_hash set not null;
create unique index audit_log_chain_seq_key on audit_log (chain, seq);

create trigger audit_log_chain before insert on audit_log
    for each row execute function audit_log_chain();
-- Even when a superuser loads rows with triggers of replication off (the scale seed, a
-- restore with --disable-triggers): no row enters the log unchained.
alter table audit_log enable always trigger audit_log_chain;
