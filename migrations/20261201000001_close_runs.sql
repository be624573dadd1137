-- The monthly close runs in batches of partners, each batch its own transaction, so a close
-- of a million clients shows its progress and survives its process dying: run again, it
-- carries on from the partners it has not done. `commission_closes` still says that a month
-- is closed (written last, in the transaction that schedules the payouts); `close_runs` says
-- that a close has started and how far it has gone.

create table close_runs (
    month          date primary key check (extract(day from month) = 1),
    started_at     timestamptz not null default now(),
    started_by     uuid references users (id),
    partners_total integer not null check (partners_total >= 0),
    partners_done  integer not null default 0 check (partners_done >= 0),
    clients_done   bigint not null default 0 check (clients_done >= 0),
    updated_at     timestamptz not null default now(),
    finished_at    timestamptz
);

-- What the close decided for each partner, written in the batch that wrote its statement:
-- a partner with a row here is done (with or without a statement), and the last step reads
-- the tier changes from here.
create table close_partners (
    month          date not null references close_runs (month),
    partner_id     uuid not null references partners (id),
    tier_before    partner_tier not null,
    tier_after     partner_tier not null,
    active_clients integer not null check (active_clients >= 0),
    primary key (month, partner_id)
);

insert into close_runs (month, started_at, started_by, partners_total, partners_done, updated_at, finished_at)
select month, closed_at, closed_by, statements, statements, closed_at, closed_at from commission_closes;

-- Statements are written before the month is marked closed, so they belong to the run.
alter table commission_statements drop constraint commission_statements_month_fkey;
alter table commission_statements
    add constraint commission_statements_month_fkey foreign key (month) references close_runs (month);
alter table commission_closes
    add constraint commission_closes_run_fkey foreign key (month) references close_runs (month);

alter table close_partners enable row level security;
create policy tenant_partner on close_partners to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on close_partners to portal_admin using (true) with check (true);
do $$
begin
    execute format(
        'create policy tenant_owner on close_partners to %I
         using (app_scope_all() or partner_id = app_partner())
         with check (app_scope_all() or partner_id = app_partner())', current_user);
end
$$;

-- A close's record is kept: progress moves forward, nothing is deleted.
revoke delete, truncate on close_runs, close_partners from portal_app, portal_admin;
revoke update on close_partners from portal_app, portal_admin;
