-- Deal registration (seed 001 section 6.2): a partner registers a prospect it works on; an
-- admin approves it (90 days of exclusive protection) or denies it with a reason. Recorded
-- activity extends the protection up to a limit; a background sweep ends it and reminds the
-- partner before it ends; a won deal becomes a client of the partner.
--
-- While a partner types, the portal checks the prospect against other partners' live
-- registrations and every existing client: the same company domain, or a company name that
-- is nearly the same once case, punctuation and legal suffixes are set aside. The answer
-- never names the other partner: the check runs in deal_conflicts() below, which returns
-- only what the asking partner may know.

create extension if not exists pg_trgm;

-- A company name as the conflict check compares it: lower case, letters and digits only,
-- without legal suffixes ("Acme, Inc." and "ACME Incorporated" are both "acme").
create function company_key(name text) returns text
    language sql immutable parallel safe strict
    return btrim(regexp_replace(
        regexp_replace(
            regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g'),
            '\m(inc|incorporated|ltd|limited|llc|llp|lp|plc|gmbh|ag|sa|sas|sarl|srl|spa|bv|nv|oy|ab|as|aps|kk|pty|pte|co|corp|corporation|company|group|holding|holdings|kg|ohg|se|ltda|sdn|bhd)\M',
            ' ', 'g'),
        '\s+', ' ', 'g'));

-- The company domain of a client: its contact's e-mail domain.
create function email_domain(email text) returns text
    language sql immutable parallel safe strict
    return lower(split_part(email, '@', 2));

create table deals (
    id               uuid primary key default gen_random_uuid(),
    partner_id       uuid not null references partners (id),
    company_name     text not null check (char_length(company_name) between 2 and 200),
    -- Normalised by the portal (src/deals/model.rs): lower case, no scheme, no "www.".
    domain           text not null check (domain ~ '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$'),
    contact_name     text not null check (char_length(contact_name) between 1 and 200),
    contact_email    text not null check (char_length(contact_email) between 3 and 254),
    country          text not null check (country ~ '^[A-Z]{2}$'),
    plan             text not null references plans (code),
    seats            integer not null check (seats between 1 and 100000),
    monthly_value    numeric(12, 2) not null check (monthly_value >= 0),
    expected_close   date not null,
    notes            text not null default '' check (char_length(notes) <= 2000),
    status           text not null default 'pending'
                     check (status in ('pending', 'approved', 'denied', 'expired', 'won', 'lost')),
    registered_by    uuid references users (id),
    created_at       timestamptz not null default now(),
    decided_by       uuid references users (id),
    decided_at       timestamptz,
    decision_reason  text check (char_length(decision_reason) <= 500),
    -- Exclusive until then: set when approved, moved on by the partner's recorded activity
    -- (src/deals/rules.rs says how far).
    protected_until  timestamptz,
    activity_at      timestamptz,
    -- The last expiry reminder sent: 14, 7 or 1 days ahead (null after an extension).
    reminded_days    integer check (reminded_days in (14, 7, 1)),
    -- The partner's request for more time than activity gives, waiting for an admin.
    extension_requested_at timestamptz,
    extension_reason text check (char_length(extension_reason) <= 500),
    -- The client a won deal became.
    client_id        uuid,
    won_at           timestamptz,
    unique (partner_id, id),
    unique (client_id),
    foreign key (partner_id, client_id) references clients (partner_id, id),
    check ((status = 'won') = (client_id is not null)),
    check ((status = 'pending') = (decided_at is null)),
    check ((status = 'approved') <= (protected_until is not null)),
    check ((status = 'denied') <= (decision_reason is not null))
);
-- A partner's deals, newest first.
create index deals_partner_idx on deals (partner_id, created_at desc, id desc);
-- The admins' queue, oldest first.
create index deals_pending_idx on deals (created_at, id) where status = 'pending';
-- The protection sweep: approved deals by the end of their protection.
create index deals_protection_idx on deals (protected_until) where status = 'approved';
-- The admins' list of extension requests.
create index deals_extension_idx on deals (extension_requested_at, id)
    where extension_requested_at is not null;
-- The conflict check over live registrations (pending, or approved and protected).
create index deals_live_domain_idx on deals (domain) where status in ('pending', 'approved');
create index deals_live_company_idx on deals using gin (company_key(company_name) gin_trgm_ops)
    where status in ('pending', 'approved');
-- The conflict check over clients.
create index clients_email_domain_idx on clients (email_domain(contact_email));
create index clients_company_key_idx on clients using gin (company_key(company_name) gin_trgm_ops);

alter table deals enable row level security;
create policy tenant_partner on deals to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on deals to portal_admin using (true) with check (true);
do $$
begin
    execute format('create policy tenant_owner on deals to %I
        using (app_scope_all() or partner_id = app_partner())
        with check (app_scope_all() or partner_id = app_partner())', current_user);
end
$$;

-- The conflict check reads every partner's registrations and clients, and answers only what
-- the asking partner may know: what kind of record matched, on what, whether it is its own,
-- and until when another's registration protects the prospect. Never who holds it.
do $$
begin
    create role portal_conflicts nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
exception when duplicate_object or unique_violation then
    null;
end
$$;
grant usage on schema public to portal_conflicts;
grant select (id, partner_id, company_name, domain, status, created_at, protected_until)
    on deals to portal_conflicts;
grant select (id, partner_id, company_name, contact_email, status, created_at)
    on clients to portal_conflicts;
create policy conflicts_read on deals for select to portal_conflicts using (true);
create policy conflicts_read on clients for select to portal_conflicts using (true);

create function deal_conflicts(asking uuid, wanted_domain text, wanted_company text)
    returns table (
        kind            text,     -- 'deal' or 'client'
        own             boolean,  -- the asking partner's own
        matched_on      text,     -- 'domain' or 'name'
        status          text,
        since           timestamptz,
        protected_until timestamptz
    )
    language plpgsql stable security definer
    set search_path = pg_catalog, pg_temp
    -- "Nearly the same name": trigram similarity of the keys at 0.6 or more.
    set pg_trgm.similarity_threshold = 0.6
    -- The same, for the plans of the domain matches.
    set enable_seqscan = off
    rows 10
as $$
declare
    key text := public.company_key(wanted_company);
    by_name boolean := length(public.company_key(wanted_company)) >= 3;
begin
    if (public.app_scope_all() or asking = public.app_partner()) is not true then
        return;
    end if;
    -- Matches on the domain first, then the five names most like it, of each kind. The
    -- order also keeps the planner on the trigram indexes: with a bare "limit 5" it bets
    -- that scanning a whole table meets five matches early, and a prospect's name matches
    -- few rows, so the bet reads every row (4 s at 1,000,000 clients, against 0.2 ms).
    return query
    (select 'deal', d.partner_id = asking, 'domain', d.status, d.created_at, d.protected_until
     from public.deals d
     where d.domain = wanted_domain and d.status in ('pending', 'approved')
       and (d.status = 'pending' or d.protected_until > now())
     limit 5)
    union all
    (select 'deal', d.partner_id = asking, 'name', d.status, d.created_at, d.protected_until
     from public.deals d
     where by_name and public.company_key(d.company_name) operator(public.%) key
       and d.domain <> wanted_domain and d.status in ('pending', 'approved')
       and (d.status = 'pending' or d.protected_until > now())
     order by public.similarity(public.company_key(d.company_name), key) desc
     limit 5)
    union all
    (select 'client', c.partner_id = asking, 'domain', c.status::text, c.created_at, null
     from public.clients c
     where public.email_domain(c.contact_email) = wanted_domain and c.status <> 'canceled'
     limit 5)
    union all
    (select 'client', c.partner_id = asking, 'name', c.status::text, c.created_at, null
     from public.clients c
     where by_name and public.company_key(c.company_name) operator(public.%) key
       and public.email_domain(c.contact_email) <> wanted_domain and c.status <> 'canceled'
     order by public.similarity(public.company_key(c.company_name), key) desc
     limit 5);
end
$$;

revoke all on function deal_conflicts(uuid, text, text) from public;
grant execute on function deal_conflicts(uuid, text, text) to portal_app, portal_admin;
alter function deal_conflicts(uuid, text, text) owner to portal_conflicts;
