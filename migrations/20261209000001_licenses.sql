-- Licenses a partner issues to its clients through the API: what the product may do (type,
-- features, seats) until when, and a license key signed with Ed25519 that a product checks
-- offline against the published public key.

create table licenses (
    id          uuid primary key default gen_random_uuid(),
    partner_id  uuid not null references partners (id),
    client_id   uuid not null,
    kind        text not null check (kind in ('trial', 'subscription', 'perpetual')),
    features    text[] not null default '{}' check (cardinality(features) <= 20),
    max_users   integer not null check (max_users between 1 and 100000),
    issued_at   timestamptz not null default now(),
    -- Null for a perpetual license.
    expires_at  timestamptz check (expires_at is null or expires_at > issued_at),
    revoked_at  timestamptz,
    issued_by   uuid references users (id),
    -- The API key the license was issued with.
    api_key_id  uuid references api_keys (id),
    license_key text not null,
    foreign key (partner_id, client_id) references clients (partner_id, id),
    check ((kind = 'perpetual') = (expires_at is null))
);
-- A client's licenses, newest first, a page at a time.
create index licenses_client_idx on licenses (partner_id, client_id, issued_at desc, id desc);

alter table licenses enable row level security;
create policy tenant_partner on licenses to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on licenses to portal_admin using (true) with check (true);
do $$
begin
    execute format('create policy tenant_owner on licenses to %I
        using (app_scope_all() or partner_id = app_partner())
        with check (app_scope_all() or partner_id = app_partner())', current_user);
end
$$;

-- The program's signing key: one row, made on first use. The public half is published at
-- /v1/licenses/public-key. (Rotation would add rows with a key id; one key for now.)
create table license_signing_keys (
    id          smallint primary key check (id = 1),
    secret      bytea not null check (length(secret) = 32),
    public_key  bytea not null check (length(public_key) = 32),
    created_at  timestamptz not null default now()
);
-- Only an unscoped connection (the portal_admin role) reads the secret: never a
-- partner-scoped one.
revoke all on license_signing_keys from portal_app;
