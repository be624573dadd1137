-- client_search returns the matching clients' rows for the list, not only their ids.
--
-- With ids only, the list read each match again under the caller's policy (a primary-key
-- lookup per match), and the page and its count each called the search: for "acme labs" at
-- the largest partner of 1,000,000 clients (230 matches), 16 ms of SQL a view, where the
-- search itself takes 3. The list now reads the page and its count from one call, in one
-- statement (src/clients/queries.rs).
--
-- The function still states the tenant rule itself (the caller's own partner, or any
-- partner in the admins' 'all' scope; nothing with no partner set), reads as portal_search
-- (select on clients' listed columns only), and only the two request roles may call it.

drop function client_search(uuid, text);

grant select (plan, plan_rank, sort_price, status, created_at) on clients to portal_search;

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
        created_at timestamptz
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
    -- trigram index, a short or common one (no trigram, or every client's "example.com")
    -- through the partner's rows, whichever is cheaper.
    return query execute
        'select c.id, c.partner_id, c.company_name, c.contact_name, c.contact_email, c.plan,
                c.plan_rank, c.sort_price, c.status, c.created_at
         from public.clients c
         where c.partner_id = $1
           and (lower(c.company_name) || '' '' || lower(c.contact_name) || '' '' || lower(c.contact_email)) like $2'
        using partner, pattern;
end
$$;

revoke all on function client_search(uuid, text) from public;
grant execute on function client_search(uuid, text) to portal_app, portal_admin;
alter function client_search(uuid, text) owner to portal_search;
