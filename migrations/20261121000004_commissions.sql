-- Commissions: the monthly close, its statements and lines, adjustments, and payouts.
-- Statements and lines are immutable once written; corrections are adjustment rows.

-- Events of one instant keep the order they were written in.
alter table subscription_events add column seq bigint generated always as identity;
create index subscription_events_time_idx on subscription_events (occurred_at, seq);
create index subscription_events_partner_time_idx on subscription_events (partner_id, occurred_at, seq);

create type payout_method as enum ('ach', 'wire', 'paypal');

-- Chosen by the partner's owner; recorded on payouts, no money moves here.
alter table partners add column payout_method payout_method;
alter table partners add column payout_account text
    check (length(payout_account) between 1 and 200);

-- One row per closed month (program-wide); its presence makes closing idempotent.
create table commission_closes (
    month      date primary key check (extract(day from month) = 1),
    closed_at  timestamptz not null default now(),
    closed_by  uuid references users (id),
    statements integer not null,
    total      numeric(14, 2) not null
);

create table payouts (
    id         uuid primary key default gen_random_uuid(),
    partner_id uuid not null references partners (id),
    amount     numeric(12, 2) not null check (amount > 0),
    due_on     date not null,
    created_at timestamptz not null default now(),
    paid_at    timestamptz,
    paid_by    uuid references users (id),
    method     payout_method,
    reference  text check (length(reference) between 1 and 100),
    check ((paid_at is null) = (method is null) and (paid_at is null) = (reference is null)),
    unique (partner_id, id)
);
create index payouts_unpaid_idx on payouts (due_on) where paid_at is null;
create index payouts_partner_idx on payouts (partner_id, due_on desc);

create table commission_statements (
    id             uuid primary key default gen_random_uuid(),
    partner_id     uuid not null references partners (id),
    month          date not null references commission_closes (month),
    tier           partner_tier not null,
    rate           numeric(5, 4) not null,
    active_clients integer not null,
    line_count     integer not null,
    total          numeric(12, 2) not null check (total >= 0),
    payable_on     date not null,
    payout_id      uuid,
    created_at     timestamptz not null default now(),
    unique (partner_id, month),
    unique (partner_id, id),
    foreign key (partner_id, payout_id) references payouts (partner_id, id)
);
create index commission_statements_unpaid_idx on commission_statements (partner_id) where payout_id is null;

create table commission_lines (
    statement_id  uuid not null,
    partner_id    uuid not null,
    position      integer not null,
    client_id     uuid not null,
    client_name   text not null,
    plan          text not null,
    list_price    numeric(12, 2) not null,
    days_active   smallint not null check (days_active between 1 and 31),
    days_in_month smallint not null check (days_in_month between 28 and 31),
    tier          partner_tier not null,
    rate          numeric(5, 4) not null,
    amount        numeric(12, 2) not null check (amount >= 0),
    primary key (statement_id, position),
    foreign key (partner_id, statement_id) references commission_statements (partner_id, id)
);

create table commission_adjustments (
    id           uuid primary key default gen_random_uuid(),
    partner_id   uuid not null,
    statement_id uuid not null,
    amount       numeric(12, 2) not null check (amount <> 0),
    reason       text not null check (length(reason) between 3 and 500),
    created_by   uuid references users (id),
    created_at   timestamptz not null default now(),
    payout_id    uuid,
    foreign key (partner_id, statement_id) references commission_statements (partner_id, id),
    foreign key (partner_id, payout_id) references payouts (partner_id, id)
);
create index commission_adjustments_statement_idx on commission_adjustments (statement_id);

-- Immutability: closes and lines never change; statements and adjustments only gain their
-- payout once; a paid payout stays paid.
create function commissions_refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception '% is immutable: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger commission_closes_immutable before update or delete on commission_closes
    for each row execute function commissions_refuse_change();
create trigger commission_lines_immutable before update or delete on commission_lines
    for each row execute function commissions_refuse_change();

create function commissions_assign_payout_once() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.payout_id is not null
       or (to_jsonb(new) - 'payout_id') <> (to_jsonb(old) - 'payout_id') then
        raise exception '% is immutable: only a payout may be assigned, once', tg_table_name
            using errcode = 'insufficient_privilege';
    end if;
    return new;
end;
$$;
create trigger commission_statements_immutable before update or delete on commission_statements
    for each row execute function commissions_assign_payout_once();
create trigger commission_adjustments_immutable before update or delete on commission_adjustments
    for each row execute function commissions_assign_payout_once();

create function payouts_paid_once() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.paid_at is not null
       or new.amount <> old.amount or new.due_on <> old.due_on or new.partner_id <> old.partner_id then
        raise exception 'payouts: a payout is paid once and never edited'
            using errcode = 'insufficient_privilege';
    end if;
    return new;
end;
$$;
create trigger payouts_paid_once before update or delete on payouts
    for each row execute function payouts_paid_once();
