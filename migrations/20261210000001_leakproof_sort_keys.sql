-- Sort keys that a page's cursor can seek to under row-level security.
--
-- The request roles read through the tenant policies. PostgreSQL runs a policy's condition
-- before any condition of the query that is not leakproof, so such a condition can filter
-- the rows an index scan returns but cannot bound the scan itself. `lower()`, `numeric`
-- comparisons and enum comparisons are not leakproof; `text`, `bigint`, `integer`, `uuid`
-- and `timestamptz` comparisons are. So a cursor `(lower(company_name), id) > ($1, $2)` read
-- a partner's clients from the first one and dropped them until the cursor: the 100th page
-- of a partner with 14,289 clients read 5,000 index entries (4.8 ms as portal_app, 0.25 ms as
-- the tables' owner), and the cost of a page grew with its depth.
--
-- The keys are now stored columns of leakproof types, kept by PostgreSQL:
-- - `name_key`, the lower-cased name, for the client, partner and application lists;
-- - `price_key`, a client's price in cents (`sort_price` stays the shown price);
-- - `status_rank`, an application's status as its place in the enum's order.

alter table clients
    add column name_key text generated always as (lower(company_name)) stored,
    -- Generated after the BEFORE trigger that sets sort_price (clients_sort_keys).
    add column price_key bigint generated always as ((sort_price * 100)::bigint) stored;

drop index clients_partner_company_idx;
drop index clients_partner_price_idx;
drop index clients_partner_plan_idx;
create index clients_partner_company_idx on clients (partner_id, name_key, id);
create index clients_partner_price_idx on clients (partner_id, price_key, name_key, id);
create index clients_partner_plan_idx on clients (partner_id, plan_rank, name_key, id);

alter table partners add column name_key text generated always as (lower(name)) stored;
drop index partners_name_idx;
create index partners_name_idx on partners (name_key, id);

alter table partner_applications
    add column name_key text generated always as (lower(company_name)) stored,
    add column status_rank smallint generated always as (case status
        when 'pending' then 1 when 'reviewing' then 2 when 'approved' then 3
        when 'rejected' then 4 end) stored;
drop index partner_applications_company_idx;
drop index partner_applications_status_submitted_idx;
create index partner_applications_company_idx on partner_applications (name_key, id);
create index partner_applications_status_submitted_idx
    on partner_applications (status_rank, submitted_at, id);

-- The search returns the keys the list sorts on (migration 20261204000001 otherwise).
drop function client_search(uuid, text);

grant select (name_key, price_key) on clients to portal_search;

create function client_search(partner uuid, pattern text)
    returns table (
        id uuid,
        partner_id uuid,
        company_name text,
        contact_name text,
        contact_email text,
        plan text,
        plan_rank int,
        sort_price numeric,
        status subscription_status,
        created_at timestamptz,
        name_key text,
        price_key bigint
    )
    language plpgsql stable security definer
    set search_path = pg_catalog, pg_temp
    rows 200
as $$
begin
    -- The tenant rule, as every policy states it (with no partner set, the comparison is
    -- null: refused too).
    if (public.app_scope_all() or partner = public.app_partner()) is not true then
        return;
    end if;
    -- Planned for this very pattern (EXECUTE): a rare word goes through the partner-and-
    -- trigram index, a short or common one through the partner's rows, whichever is cheaper.
    return query execute
        'select c.id, c.partner_id, c.company_name, c.contact_name, c.contact_email, c.plan,
                c.plan_rank, c.sort_price, c.status, c.created_at, c.name_key, c.price_key
         from public.clients c
         where c.partner_id = $1
           and (lower(c.company_name) || '' '' || lower(c.contact_name) || '' '' || lower(c.contact_email)) like $2'
        using partner, pattern;
end
$$;

revoke all on function client_search(uuid, text) from public;
grant execute on function client_search(uuid, text) to portal_app, portal_admin;
alter function client_search(uuid, text) owner to portal_search;
