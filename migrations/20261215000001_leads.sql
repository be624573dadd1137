-- Leads (seed 001 section 6.1): the program team creates leads or imports them from CSV, and
-- each is offered to one partner at a time by the assignment rules (src/leads/assign.rs):
-- the partners that serve the lead's country (then its region), know its industry, hold
-- fewer open leads than their capacity and were active in the last 30 days, best health
-- score first, then the one whose last lead is oldest. The partner accepts (the lead becomes
-- a deal registration) or declines with a reason; an offer not answered within 48 hours
-- moves on. A partner that declined a lead, or let it lapse, is not offered it again.

-- How many open leads (offered, or accepted with a live registration) a partner may hold,
-- set by admins; and when it was last offered one (the fair rotation among equals).
alter table partners
    add column lead_capacity integer not null default 10 check (lead_capacity between 0 and 500),
    add column last_lead_at timestamptz;

-- One CSV file: kept whole when every row was good, refused whole (with the refused rows)
-- otherwise. Admins only.
create table lead_imports (
    id           uuid primary key default gen_random_uuid(),
    file_name    text not null check (char_length(file_name) <= 300),
    rows         integer not null check (rows >= 0),
    -- The refused rows, when the file was refused: [{"row": 3, "field": "...", "message": "..."}].
    rejected     jsonb not null default '[]',
    imported_by  uuid references users (id),
    imported_at  timestamptz not null default now()
);
create index lead_imports_time_idx on lead_imports (imported_at desc, id desc);

create table leads (
    id               uuid primary key default gen_random_uuid(),
    company_name     text not null check (char_length(company_name) between 2 and 200),
    domain           text not null check (char_length(domain) between 3 and 253),
    contact_name     text not null check (char_length(contact_name) between 2 and 200),
    contact_email    text not null check (char_length(contact_email) between 3 and 320),
    country          text not null check (country ~ '^[A-Z]{2}$'),
    industry         text not null check (industry ~ '^[a-z_]{2,40}$'),
    seats            integer not null check (seats between 1 and 100000),
    notes            text not null default '' check (char_length(notes) <= 2000),
    -- new: waiting for the rules; offered: a partner has 48 hours to answer; passed: the
    -- partner declined it and it waits for the rules (still in that partner's hands, as row
    -- security lets a partner change only what it holds); accepted: it is that partner's deal
    -- registration; unmatched: no partner qualified (admins hand it over).
    status           text not null default 'new'
                     check (status in ('new', 'offered', 'passed', 'accepted', 'unmatched')),
    partner_id       uuid references partners (id),
    offer_expires_at timestamptz,
    deal_id          uuid unique references deals (id),
    import_id        uuid references lead_imports (id),
    created_by       uuid references users (id),
    created_at       timestamptz not null default now(),
    check ((status in ('offered', 'passed', 'accepted')) = (partner_id is not null)),
    check ((status = 'offered') = (offer_expires_at is not null)),
    check ((status = 'accepted') = (deal_id is not null))
);
-- The admins' list, newest first, whole or by status.
create index leads_time_idx on leads (created_at desc, id desc);
create index leads_status_time_idx on leads (status, created_at desc, id desc);
-- The sweep: leads waiting for the rules, and offers running out.
create index leads_new_idx on leads (created_at, id) where status in ('new', 'passed');
create index leads_expiry_idx on leads (offer_expires_at) where status = 'offered';
-- A partner's open leads (its capacity).
create index leads_partner_open_idx on leads (partner_id) where status in ('offered', 'accepted');
-- An import's progress.
create index leads_import_idx on leads (import_id, status) where import_id is not null;

-- Every offer of a lead to a partner and its answer: the partner's history (with the
-- company as offered, since a lead it no longer holds is not its to read) and the rule that
-- a partner that declined a lead or let it lapse is skipped for it.
create table lead_offers (
    id           uuid primary key default gen_random_uuid(),
    lead_id      uuid not null references leads (id),
    partner_id   uuid not null references partners (id),
    company_name text not null,
    country      text not null,
    industry     text not null,
    offered_at   timestamptz not null,
    expires_at   timestamptz not null,
    -- The admin who chose the partner by hand; null when the rules chose it.
    assigned_by  uuid references users (id),
    answer       text check (answer in ('accepted', 'declined', 'expired', 'withdrawn')),
    answered_at  timestamptz,
    answered_by  uuid references users (id),
    reason       text check (char_length(reason) <= 500),
    check ((answer is null) = (answered_at is null))
);
create index lead_offers_partner_idx on lead_offers (partner_id, offered_at desc, id desc);
create index lead_offers_lead_idx on lead_offers (lead_id, partner_id);
-- A lead has at most one open offer.
create unique index lead_offers_open_idx on lead_offers (lead_id) where answer is null;

-- A partner reads the leads it holds now and answers them; it may not create, delete or
-- take another's.
alter table leads enable row level security;
create policy tenant_partner_read on leads for select to portal_app
    using (partner_id = app_partner());
create policy tenant_partner_answer on leads for update to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on leads to portal_admin using (true) with check (true);

alter table lead_offers enable row level security;
create policy tenant_partner on lead_offers to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on lead_offers to portal_admin using (true) with check (true);

alter table lead_imports enable row level security;
create policy tenant_all on lead_imports to portal_admin using (true) with check (true);

do $$
begin
    execute format('create policy tenant_owner on leads to %I
        using (app_scope_all() or partner_id = app_partner())
        with check (app_scope_all() or partner_id = app_partner())', current_user);
    execute format('create policy tenant_owner on lead_offers to %I
        using (app_scope_all() or partner_id = app_partner())
        with check (app_scope_all() or partner_id = app_partner())', current_user);
    execute format('create policy tenant_owner on lead_imports to %I
        using (app_scope_all()) with check (app_scope_all())', current_user);
end
$$;
