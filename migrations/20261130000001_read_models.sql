-- Read models: each partner's current figures and one row per partner and month, kept up to
-- date by the same transactions that write subscription events, statements and adjustments
-- (triggers below), so that pages read a few rows instead of replaying every event. The
-- events stay the source of truth: read_models_rebuild() recomputes everything from them,
-- for data loaded behind the portal's back and after a bug fix
-- (`partner-portal rebuild-read-models`).

-- Now: from the latest event of each client.
create table partner_figures (
    partner_id     uuid primary key references partners (id),
    -- Clients with at least one event, canceled ones included.
    clients        integer not null default 0,
    active_clients integer not null default 0,
    -- Not canceled (what the client cap counts).
    open_clients   integer not null default 0,
    mrr            numeric(14, 2) not null default 0
);
-- The leaderboard: the partners with the highest MRR first.
create index partner_figures_mrr_idx on partner_figures (mrr desc, partner_id);

create table partner_plan_figures (
    partner_id     uuid not null references partners (id),
    plan           text not null references plans (code),
    active_clients integer not null default 0,
    primary key (partner_id, plan)
);

-- One row per partner for every month with an event, a statement or an adjustment; a month
-- without a row has the figures of the latest row before it.
create table partner_months (
    partner_id     uuid not null references partners (id),
    month          date not null check (extract(day from month) = 1),
    -- At the month's end (so far, for the month in progress).
    mrr            numeric(14, 2) not null,
    -- At the month's start (last month's end): the overview's growth without a second row.
    mrr_start      numeric(14, 2) not null,
    active_clients integer not null,
    -- MRR integrated over the month, in MRR x seconds, as if the state after the month's last
    -- event lasted to its end: the dashboard's accrual estimate for the month in progress.
    -- Exact (no division), so that kept and rebuilt values compare equal.
    mrr_seconds    numeric not null,
    -- The closed statement's total plus its adjustments.
    commission     numeric(12, 2),
    primary key (partner_id, month)
);

do $$
declare
    t text;
begin
    foreach t in array array['partner_figures', 'partner_plan_figures', 'partner_months'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant on %I using (app_scope_all() or partner_id = app_partner())
             with check (app_scope_all() or partner_id = app_partner())', t);
    end loop;
end
$$;

create function read_models_month_start(at timestamptz) returns date
    language sql immutable
    as $$ select date_trunc('month', at at time zone 'UTC')::date $$;

create function read_models_instant(day date) returns timestamptz
    language sql immutable
    as $$ select day::timestamp at time zone 'UTC' $$;

create function read_models_month_seconds(month date) returns numeric
    language sql immutable
    as $$ select extract(epoch from (month + interval '1 month') - month::timestamp) $$;

-- Makes sure partner `p` has a row for `m`, carrying the figures of the latest row before.
create function read_models_month_row(p uuid, m date) returns void
language plpgsql as $$
begin
    insert into partner_months (partner_id, month, mrr, mrr_start, active_clients, mrr_seconds)
    select p, m, coalesce(prev.mrr, 0), coalesce(prev.mrr, 0), coalesce(prev.active_clients, 0),
           coalesce(prev.mrr, 0) * read_models_month_seconds(m)
    from (select 1) one
    left join lateral (
        select mrr, active_clients from partner_months
        where partner_id = p and month < m order by month desc limit 1
    ) prev on true
    on conflict (partner_id, month) do nothing;
end;
$$;

-- A new event changes its client's contribution from that of the event before it to its
-- own, from its moment until the client's next event (none, when it is the latest: the
-- portal always appends). BEFORE, so that in a statement inserting several events each row
-- sees exactly the rows accounted for before it.
create function read_models_apply_event() returns trigger
language plpgsql as $$
declare
    prev_status subscription_status;
    prev_plan text;
    prev_price numeric;
    had_prev boolean;
    next_at timestamptz;
    old_active boolean;
    new_active boolean;
    d_mrr numeric;
    d_active integer;
    d_open integer;
    m date := read_models_month_start(new.occurred_at);
begin
    select e.to_status, e.to_plan, e.list_price into prev_status, prev_plan, prev_price
    from subscription_events e
    where e.partner_id = new.partner_id and e.client_id = new.client_id
      and (e.occurred_at, e.seq) < (new.occurred_at, new.seq)
    order by e.occurred_at desc, e.seq desc
    limit 1;
    had_prev := found;
    select e.occurred_at into next_at
    from subscription_events e
    where e.partner_id = new.partner_id and e.client_id = new.client_id
      and (e.occurred_at, e.seq) > (new.occurred_at, new.seq)
    order by e.occurred_at, e.seq
    limit 1;

    old_active := had_prev and prev_status = 'active';
    new_active := new.to_status = 'active';
    d_mrr := (case when new_active then new.list_price else 0 end)
           - (case when old_active then prev_price else 0 end);
    d_active := new_active::integer - old_active::integer;
    d_open := (new.to_status <> 'canceled')::integer
            - (had_prev and prev_status <> 'canceled')::integer;

    if next_at is null then
        insert into partner_figures as f (partner_id, clients, active_clients, open_clients, mrr)
        values (new.partner_id, (not had_prev)::integer, d_active, d_open, d_mrr)
        on conflict (partner_id) do update
            set clients = f.clients + (not had_prev)::integer,
                active_clients = f.active_clients + d_active,
                open_clients = f.open_clients + d_open,
                mrr = f.mrr + d_mrr;
        if old_active then
            update partner_plan_figures set active_clients = active_clients - 1
            where partner_id = new.partner_id and plan = prev_plan;
            delete from partner_plan_figures
            where partner_id = new.partner_id and plan = prev_plan and active_clients = 0;
        end if;
        if new_active then
            insert into partner_plan_figures as f (partner_id, plan, active_clients)
            values (new.partner_id, new.to_plan, 1)
            on conflict (partner_id, plan) do update set active_clients = f.active_clients + 1;
        end if;
    end if;

    -- Every month with an event has its row (as the rebuild makes them).
    perform read_models_month_row(new.partner_id, m);
    if d_mrr <> 0 or d_active <> 0 then
        if next_at is not null then
            perform read_models_month_row(new.partner_id, read_models_month_start(next_at));
        end if;
        update partner_months pm
        set mrr = pm.mrr + case when reaches_end then d_mrr else 0 end,
            mrr_start = pm.mrr_start + case when pm.month > m then d_mrr else 0 end,
            active_clients = pm.active_clients + case when reaches_end then d_active else 0 end,
            mrr_seconds = pm.mrr_seconds + d_mrr * extract(epoch from
                least(month_end, coalesce(next_at, month_end))
                - greatest(read_models_instant(pm.month), new.occurred_at))
        from (
            select pm2.month,
                   read_models_instant((pm2.month + interval '1 month')::date) as month_end,
                   next_at is null
                       or next_at >= read_models_instant((pm2.month + interval '1 month')::date)
                       as reaches_end
            from partner_months pm2
            where pm2.partner_id = new.partner_id and pm2.month >= m
              and (next_at is null or read_models_instant(pm2.month) <= next_at)
        ) affected
        where pm.partner_id = new.partner_id and pm.month = affected.month;
    end if;
    return new;
end;
$$;

create trigger subscription_events_read_models before insert on subscription_events
    for each row execute function read_models_apply_event();

-- A statement's total, and later each adjustment, add to its month's commission.
create function read_models_apply_commission(p uuid, m date, amount numeric) returns void
language plpgsql as $$
begin
    perform read_models_month_row(p, m);
    update partner_months set commission = coalesce(commission, 0) + amount
    where partner_id = p and month = m;
end;
$$;

create function read_models_apply_statement() returns trigger
language plpgsql as $$
begin
    perform read_models_apply_commission(new.partner_id, new.month, new.total);
    return new;
end;
$$;

create trigger commission_statements_read_models after insert on commission_statements
    for each row execute function read_models_apply_statement();

create function read_models_apply_adjustment() returns trigger
language plpgsql as $$
begin
    perform read_models_apply_commission(
        new.partner_id,
        (select s.month from commission_statements s
         where s.partner_id = new.partner_id and s.id = new.statement_id),
        new.amount);
    return new;
end;
$$;

create trigger commission_adjustments_read_models after insert on commission_adjustments
    for each row execute function read_models_apply_adjustment();

-- Every read model recomputed from the events, statements and adjustments. Each event
-- contributes the change it made to its client's MRR and activity from its moment on; a
-- month's end figures are the running sums of those changes.
create function read_models_rebuild() returns void
language plpgsql as $$
begin
    lock table subscription_events, commission_statements, commission_adjustments
        in share mode;
    delete from partner_months;
    delete from partner_plan_figures;
    delete from partner_figures;

    with latest as (
        select distinct on (client_id) partner_id, to_status, to_plan, list_price
        from subscription_events
        order by client_id, occurred_at desc, seq desc
    )
    insert into partner_figures (partner_id, clients, active_clients, open_clients, mrr)
    select partner_id, count(*),
           count(*) filter (where to_status = 'active'),
           count(*) filter (where to_status <> 'canceled'),
           coalesce(sum(list_price) filter (where to_status = 'active'), 0)
    from latest group by partner_id;

    with latest as (
        select distinct on (client_id) partner_id, to_status, to_plan
        from subscription_events
        order by client_id, occurred_at desc, seq desc
    )
    insert into partner_plan_figures (partner_id, plan, active_clients)
    select partner_id, to_plan, count(*)
    from latest where to_status = 'active' group by partner_id, to_plan;

    with contribution as (
        select partner_id, client_id, occurred_at, seq,
               case when to_status = 'active' then list_price else 0 end as mrr,
               (to_status = 'active')::integer as active
        from subscription_events
    ), change as (
        select partner_id, occurred_at, read_models_month_start(occurred_at) as month,
               mrr - coalesce(lag(mrr) over w, 0) as d_mrr,
               active - coalesce(lag(active) over w, 0) as d_active
        from contribution
        window w as (partition by client_id order by occurred_at, seq)
    ), by_month as (
        select partner_id, month, sum(d_mrr) as d_mrr, sum(d_active) as d_active,
               sum(d_mrr * extract(epoch from
                   read_models_instant((month + interval '1 month')::date) - occurred_at))
                   as d_seconds
        from change group by partner_id, month
        union all
        select partner_id, month, 0, 0, 0 from commission_statements
    ), months as (
        select partner_id, month, sum(d_mrr) as d_mrr, sum(d_active) as d_active,
               sum(d_seconds) as d_seconds
        from by_month group by partner_id, month
    ), running as (
        select partner_id, month, d_mrr, d_seconds,
               sum(d_mrr) over p as mrr,
               sum(d_active) over p as active_clients
        from months
        window p as (partition by partner_id order by month)
    )
    insert into partner_months (partner_id, month, mrr, mrr_start, active_clients, mrr_seconds,
                                commission)
    select r.partner_id, r.month, r.mrr, r.mrr - r.d_mrr, r.active_clients,
           (r.mrr - r.d_mrr) * read_models_month_seconds(r.month) + r.d_seconds,
           s.total + coalesce((select sum(a.amount) from commission_adjustments a
                               where a.partner_id = s.partner_id and a.statement_id = s.id), 0)
    from running r
    left join commission_statements s on s.partner_id = r.partner_id and s.month = r.month;
end;
$$;

-- The read models of the data already here.
select read_models_rebuild();
