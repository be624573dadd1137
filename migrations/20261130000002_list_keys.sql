-- Lists page by cursor on every sort they offer, each with its index. Sorting clients by
-- price and by plan needs the price and the plan's rank on the client row itself (an index
-- cannot reach into plans): kept by triggers, on the client's changes and the plan's.

alter table clients add column sort_price numeric(12, 2);
alter table clients add column plan_rank integer;

create function clients_sort_keys() returns trigger
language plpgsql as $$
begin
    select coalesce(new.custom_price, p.monthly_price), p.sort_order
    into new.sort_price, new.plan_rank
    from plans p where p.code = new.plan;
    return new;
end;
$$;
create trigger clients_sort_keys before insert or update of plan, custom_price on clients
    for each row execute function clients_sort_keys();

create function plans_refresh_client_keys() returns trigger
language plpgsql as $$
begin
    update clients set plan = plan where plan = new.code;
    return new;
end;
$$;
create trigger plans_refresh_client_keys after update of monthly_price, sort_order on plans
    for each row execute function plans_refresh_client_keys();

update clients set plan = plan;
alter table clients alter column sort_price set not null;
alter table clients alter column plan_rank set not null;

-- Every sort runs one way (both directions scan these), the id last so that keys are unique.
drop index clients_partner_created_idx;
create index clients_partner_created_idx on clients (partner_id, created_at, id);
create index clients_partner_price_idx on clients (partner_id, sort_price, lower(company_name), id);
create index clients_partner_plan_idx on clients (partner_id, plan_rank, lower(company_name), id);

-- The admin's partner list pages by name.
create index partners_name_idx on partners (lower(name), id);

-- The review queue pages by submission time, by company and by status, each one way.
drop index partner_applications_submitted_idx;
drop index partner_applications_status_submitted_idx;
create index partner_applications_submitted_idx on partner_applications (submitted_at, id);
create index partner_applications_status_submitted_idx
    on partner_applications (status, submitted_at, id);

-- Payouts list unpaid first (soonest due first), then paid (latest due first): one integer
-- that orders both, kept by PostgreSQL, so that the list pages by cursor on an index.
alter table payouts add column queue_key integer generated always as (
    case when paid_at is null then due_on - date '2000-01-01'
         else 1000000 - (due_on - date '2000-01-01') end) stored;
create index payouts_queue_idx on payouts (queue_key, id);
create index payouts_partner_queue_idx on payouts (partner_id, queue_key, id);
