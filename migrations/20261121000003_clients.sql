-- Reseller client management: subscription events, client invitations, support access and
-- impersonation ("log in as client").

-- Every change of plan, price or status is an event, so that MRR history and statements can
-- be recomputed from events.
create table subscription_events (
    id           uuid primary key default gen_random_uuid(),
    partner_id   uuid not null,
    client_id    uuid not null,
    occurred_at  timestamptz not null default now(),
    actor_user_id uuid references users (id),
    -- Set when a reseller acted while logged in as the client.
    real_user_id uuid references users (id),
    impersonation_id uuid,
    kind         text not null check (kind in ('created', 'plan_changed', 'price_changed', 'status_changed')),
    from_plan    text references plans (code),
    to_plan      text references plans (code),
    -- The plan's list price at the time of the event (commission is always on the list price).
    list_price   numeric(12, 2) not null,
    from_custom_price numeric(12, 2),
    to_custom_price   numeric(12, 2),
    from_status  subscription_status,
    to_status    subscription_status not null,
    foreign key (partner_id, client_id) references clients (partner_id, id)
);
create index subscription_events_client_idx on subscription_events (partner_id, client_id, occurred_at);

-- The client's owner can turn reseller access off.
alter table clients add column reseller_access_enabled boolean not null default true;
alter table clients add column contact_phone text check (length(contact_phone) <= 40);
-- The client list sorts and searches on these.
create index clients_partner_created_idx on clients (partner_id, created_at desc, id);
create index clients_partner_company_idx on clients (partner_id, lower(company_name), id);
create index clients_search_idx
    on clients using gin ((lower(company_name) || ' ' || lower(contact_name) || ' ' || lower(contact_email)) gin_trgm_ops);

-- Invitations may be for a client's user rather than a partner member.
alter table invitations add column client_id uuid;
alter table invitations add column client_owner boolean not null default false;
alter table invitations alter column role drop not null;
alter table invitations add constraint invitations_client_fk
    foreign key (partner_id, client_id) references clients (partner_id, id);
alter table invitations add constraint invitations_member_or_client
    check ((client_id is null) = (role is not null));

-- A reseller member acting as a client: a single-use start token (hashed, 60 seconds), then
-- at most 30 minutes of acting, on the record.
create table impersonation_sessions (
    id              uuid primary key default gen_random_uuid(),
    partner_id      uuid not null,
    client_id       uuid not null,
    real_user_id    uuid not null references users (id),
    acting_user_id  uuid not null references users (id),
    reason          text not null check (length(reason) between 3 and 500),
    token_hash      bytea not null unique,
    token_expires_at timestamptz not null,
    started_at      timestamptz,
    expires_at      timestamptz,
    ended_at        timestamptz,
    end_reason      text,
    created_at      timestamptz not null default now(),
    foreign key (partner_id, client_id) references clients (partner_id, id)
);
create index impersonation_sessions_client_idx on impersonation_sessions (partner_id, client_id, created_at desc);
