-- Foundation schema: people, partners, their members, clients, plans, the audit log and
-- the session store. Every table that belongs to a partner carries partner_id (DESIGN.md 3).

create type partner_tier as enum ('bronze', 'silver', 'gold', 'platinum');
create type partner_status as enum ('active', 'suspended', 'frozen');
create type partnership_type as enum ('reseller', 'referral', 'technology');
create type member_role as enum ('owner', 'manager', 'sales', 'support', 'viewer');
create type subscription_status as enum ('active', 'suspended', 'canceled');

create table users (
    id            uuid primary key default gen_random_uuid(),
    email         text not null check (email = lower(email) and length(email) between 3 and 254),
    display_name  text not null check (length(display_name) between 1 and 200),
    -- Null until the person has set a password (an accepted invitation).
    password_hash text,
    is_admin      boolean not null default false,
    created_at    timestamptz not null default now(),
    disabled_at   timestamptz
);
create unique index users_email_key on users (email);

-- List prices live here, not in code, so that they can change.
create table plans (
    code          text primary key check (code ~ '^[a-z]+$'),
    name          text not null,
    monthly_price numeric(12, 2) not null check (monthly_price >= 0),
    sort_order    integer not null
);
insert into plans (code, name, monthly_price, sort_order) values
    ('starter', 'Starter', 99.00, 1),
    ('professional', 'Professional', 299.00, 2),
    ('enterprise', 'Enterprise', 999.00, 3);

create table partners (
    id                        uuid primary key default gen_random_uuid(),
    slug                      text not null unique
                              check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name                      text not null check (length(name) between 1 and 200),
    partnership_type          partnership_type not null default 'reseller',
    tier                      partner_tier not null default 'bronze',
    -- A pinned tier is set by an admin and not recomputed at the monthly close.
    tier_pinned               boolean not null default false,
    status                    partner_status not null default 'active',
    client_management_enabled boolean not null default true,
    -- Null means "as the tier says" (on from Gold up).
    white_label_enabled       boolean,
    created_at                timestamptz not null default now()
);

create table partner_members (
    partner_id uuid not null references partners (id),
    user_id    uuid not null references users (id),
    role       member_role not null,
    created_at timestamptz not null default now(),
    primary key (partner_id, user_id)
);
-- A person works for one partner at a time.
create unique index partner_members_user_key on partner_members (user_id);

create table clients (
    id                        uuid primary key default gen_random_uuid(),
    partner_id                uuid not null references partners (id),
    slug                      text not null check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    company_name              text not null check (length(company_name) between 1 and 200),
    contact_name              text not null check (length(contact_name) between 1 and 200),
    contact_email             text not null check (length(contact_email) between 3 and 254),
    plan                      text not null references plans (code),
    status                    subscription_status not null default 'active',
    -- The reseller's own price to the client; commission is always on the list price.
    custom_price              numeric(12, 2) check (custom_price >= 0),
    billing_owned_by_reseller boolean not null default true,
    region                    text,
    created_at                timestamptz not null default now(),
    updated_at                timestamptz not null default now(),
    unique (partner_id, id),
    unique (partner_id, slug)
);
create index clients_partner_status_idx on clients (partner_id, status);

create table client_users (
    partner_id uuid not null,
    client_id  uuid not null,
    user_id    uuid not null references users (id),
    is_owner   boolean not null default false,
    created_at timestamptz not null default now(),
    primary key (client_id, user_id),
    foreign key (partner_id, client_id) references clients (partner_id, id)
);
create unique index client_users_user_key on client_users (user_id);

-- Append-only record of every change of state. During an impersonation actor_user_id is
-- the client user acted as and real_user_id the reseller member who really acted.
create table audit_log (
    id               uuid primary key default gen_random_uuid(),
    occurred_at      timestamptz not null default now(),
    actor_user_id    uuid references users (id),
    real_user_id     uuid references users (id),
    impersonation_id uuid,
    partner_id       uuid references partners (id),
    action           text not null check (action ~ '^[a-z_.]+$'),
    target_type      text,
    target_id        uuid,
    client_addr      inet,
    detail           jsonb not null default '{}'::jsonb
);
create index audit_log_partner_time_idx on audit_log (partner_id, occurred_at desc);
create index audit_log_time_idx on audit_log (occurred_at desc);

create function audit_log_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update_or_delete
    before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_is_append_only();

-- Failed sign-ins, counted per account and per client address to slow down guessing.
-- Kept in the database so that every app server sees the same counts.
create table login_failures (
    id        uuid primary key default gen_random_uuid(),
    key       text not null,
    failed_at timestamptz not null default now()
);
create index login_failures_key_time_idx on login_failures (key, failed_at);

-- The tower-sessions PostgreSQL store (same layout as its own migrate()).
create schema if not exists tower_sessions;
create table tower_sessions.session (
    id          text primary key not null,
    data        bytea not null,
    expiry_date timestamptz not null
);
create index session_expiry_idx on tower_sessions.session (expiry_date);
