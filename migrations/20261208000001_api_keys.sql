-- API keys: made by a partner's owner, each with scopes and an expiry, stored as the
-- SHA-256 of the secret (the secret itself is shown once and never kept). The same key is
-- the OAuth client secret: `POST /oauth/token` trades it for a short-lived bearer token.

create table api_keys (
    id               uuid primary key default gen_random_uuid(),
    partner_id       uuid not null references partners (id),
    name             text not null check (char_length(name) between 1 and 60),
    -- The start of the secret (`ppk_` and 8 more characters), to tell keys apart.
    shown            text not null,
    secret_hash      bytea not null unique,
    scopes           text[] not null check (cardinality(scopes) > 0),
    created_by       uuid references users (id),
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null,
    revoked_at       timestamptz,
    revoked_by       uuid references users (id),
    last_used_at     timestamptz,
    last_used_from   inet,
    -- When the owner was told the key expires soon (once per key).
    expiry_noticed_at timestamptz,
    check (expires_at > created_at and expires_at <= created_at + interval '366 days')
);
-- The owner's list, newest first, a page at a time.
create index api_keys_partner_idx on api_keys (partner_id, created_at desc, id desc);
-- A name names one key in use: a revoked key's name may be used again.
create unique index api_keys_live_name_idx on api_keys (partner_id, lower(name))
    where revoked_at is null;
-- The expiry notices: keys in use that expire soon and have not been noticed.
create index api_keys_expiry_idx on api_keys (expires_at)
    where revoked_at is null and expiry_noticed_at is null;

-- Bearer tokens from `POST /oauth/token`: an hour each, only while their key is in use.
create table api_tokens (
    token_hash  bytea primary key,
    key_id      uuid not null references api_keys (id),
    partner_id  uuid not null references partners (id),
    scopes      text[] not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null
);
create index api_tokens_expiry_idx on api_tokens (expires_at);
create index api_tokens_key_idx on api_tokens (key_id);

-- What a POST with an `Idempotency-Key` answered, replayed for the same key and body for 24
-- hours. A row without a status is a request still running (or one that failed, which
-- removes its row so that a retry runs again).
create table api_idempotency (
    key_id       uuid not null references api_keys (id),
    idem_key     text not null check (char_length(idem_key) between 1 and 255),
    partner_id   uuid not null references partners (id),
    request_hash bytea not null,
    status       smallint,
    body         text,
    created_at   timestamptz not null default now(),
    primary key (key_id, idem_key)
);
create index api_idempotency_age_idx on api_idempotency (created_at);

do $$
declare
    t text;
begin
    foreach t in array array['api_keys', 'api_tokens', 'api_idempotency'] loop
        execute format('alter table %I enable row level security', t);
        execute format('create policy tenant_partner on %I to portal_app
            using (partner_id = app_partner()) with check (partner_id = app_partner())', t);
        execute format('create policy tenant_all on %I to portal_admin using (true) with check (true)', t);
        execute format('create policy tenant_owner on %I to %I
            using (app_scope_all() or partner_id = app_partner())
            with check (app_scope_all() or partner_id = app_partner())', t, current_user);
    end loop;
end
$$;
