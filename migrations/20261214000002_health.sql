-- Partner health and the monthly leaderboard (seed 001 sections 8.1 and 8.2), written by
-- each close for every partner: the health score's four parts (0 to 100 each), the score
-- (their weighted sum, src/health/model.rs), the month's MRR growth and the partner's rank by
-- it. Pages read these rows; nothing is recomputed per view.

create table partner_health (
    partner_id     uuid not null references partners (id),
    month          date not null check (extract(day from month) = 1),
    retention      numeric(5, 1) not null check (retention between 0 and 100),
    growth         numeric(5, 1) not null check (growth between 0 and 100),
    certification  numeric(5, 1) not null check (certification between 0 and 100),
    activity       numeric(5, 1) not null check (activity between 0 and 100),
    score          numeric(5, 1) not null check (score between 0 and 100),
    -- The month's MRR growth in money, and the partner's place by it (1 is the most).
    mrr_growth     numeric(14, 2) not null,
    growth_rank    integer not null check (growth_rank >= 1),
    primary key (partner_id, month)
);
-- The leaderboard: a month's partners by rank.
create index partner_health_rank_idx on partner_health (month, growth_rank, partner_id);

-- Whether the partner's name may show on other partners' leaderboard (its owner decides).
alter table partners add column leaderboard_opt_in boolean not null default false;

alter table partner_health enable row level security;
create policy tenant_partner on partner_health to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on partner_health to portal_admin using (true) with check (true);
do $$
begin
    execute format('create policy tenant_owner on partner_health to %I
        using (app_scope_all() or partner_id = app_partner())
        with check (app_scope_all() or partner_id = app_partner())', current_user);
end
$$;

-- The leaderboard that partners see: the top of a month, with a name only where the partner
-- opted in, and never more. It reads every partner's row (as portal_leaderboard, which may
-- read these columns only) and answers ranks, growth, tiers and opted-in names.
do $$
begin
    create role portal_leaderboard nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
exception when duplicate_object or unique_violation then
    null;
end
$$;
grant usage on schema public to portal_leaderboard;
grant select (partner_id, month, mrr_growth, growth_rank) on partner_health to portal_leaderboard;
grant select (id, name, tier, leaderboard_opt_in) on partners to portal_leaderboard;
create policy leaderboard_read on partner_health for select to portal_leaderboard using (true);
create policy leaderboard_read on partners for select to portal_leaderboard using (true);

create function leaderboard_top(asking uuid, board_month date, places integer)
    returns table (growth_rank integer, name text, tier partner_tier, mrr_growth numeric, own boolean)
    language plpgsql stable security definer
    set search_path = pg_catalog, pg_temp
as $$
begin
    if (public.app_scope_all() or asking = public.app_partner()) is not true then
        return;
    end if;
    return query
    select h.growth_rank,
           case when p.leaderboard_opt_in or p.id = asking then p.name end,
           p.tier, h.mrr_growth, p.id = asking
    from public.partner_health h join public.partners p on p.id = h.partner_id
    where h.month = board_month and h.growth_rank <= places
    order by h.growth_rank;
end
$$;
-- How many partners a month's board ranks (its last place).
create function leaderboard_size(board_month date) returns integer
    language sql stable security definer
    set search_path = pg_catalog, pg_temp
    return (select coalesce(max(h.growth_rank), 0) from public.partner_health h
            where h.month = board_month);

revoke all on function leaderboard_top(uuid, date, integer) from public;
revoke all on function leaderboard_size(date) from public;
grant execute on function leaderboard_size(date) to portal_app, portal_admin;
alter function leaderboard_size(date) owner to portal_leaderboard;
grant execute on function leaderboard_top(uuid, date, integer) to portal_app, portal_admin;
alter function leaderboard_top(uuid, date, integer) owner to portal_leaderboard;
