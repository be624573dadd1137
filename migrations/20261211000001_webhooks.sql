-- Outbound webhooks: a partner's endpoints, the events the portal records for them in the
-- same transaction as each change (the outbox), and each endpoint's deliveries and attempts.
--
-- An event is fanned out to the partner's enabled endpoints that want its type when it is
-- written, so a change that rolls back leaves neither the event nor its deliveries. A
-- delivery is sent by the background worker (src/webhooks/worker.rs), which leases the
-- endpoint while it sends: one endpoint's deliveries go out one at a time in event order,
-- on one server, while other endpoints are served beside it.

create table webhook_endpoints (
    id               uuid primary key default gen_random_uuid(),
    partner_id       uuid not null references partners (id),
    url              text not null check (char_length(url) between 8 and 2000),
    description      text not null default '' check (char_length(description) <= 200),
    event_types      text[] not null check (cardinality(event_types) between 1 and 20),
    enabled          boolean not null default true,
    -- Why the portal turned it off: 'gone' (the receiver answered 410) or 'failing' (five
    -- days of failures). Null when on, or turned off by a person.
    disabled_reason  text check (disabled_reason in ('gone', 'failing')),
    -- The signing secret's 32 random bytes (shown once as whsec_ + base64), and the one it
    -- replaced, which signs too until previous_expires_at.
    secret           bytea not null check (length(secret) = 32),
    previous_secret  bytea check (length(previous_secret) = 32),
    previous_expires_at timestamptz,
    -- Since when every attempt has failed (null after a success).
    failing_since    timestamptz,
    -- The worker's lease: the endpoint is being served until then.
    leased_until     timestamptz not null default '-infinity',
    created_by       uuid references users (id),
    created_at       timestamptz not null default now(),
    deleted_at       timestamptz
);
create index webhook_endpoints_partner_idx on webhook_endpoints (partner_id, created_at, id)
    where deleted_at is null;

create table webhook_events (
    id           uuid primary key default gen_random_uuid(),
    partner_id   uuid not null references partners (id),
    event_type   text not null,
    occurred_at  timestamptz not null default clock_timestamp(),
    payload      jsonb not null
);
create index webhook_events_partner_idx on webhook_events (partner_id, occurred_at, id);

create table webhook_deliveries (
    id               uuid primary key default gen_random_uuid(),
    partner_id       uuid not null references partners (id),
    endpoint_id      uuid not null references webhook_endpoints (id),
    event_id         uuid not null references webhook_events (id),
    -- When the event happened: deliveries to an endpoint go out in this order.
    occurred_at      timestamptz not null,
    state            text not null default 'pending'
                     check (state in ('pending', 'succeeded', 'failed')),
    attempts         integer not null default 0,
    next_attempt_at  timestamptz,
    last_status      integer,
    created_at       timestamptz not null default clock_timestamp(),
    check ((state = 'pending') = (next_attempt_at is not null))
);
-- The worker's queue: each endpoint's pending deliveries, oldest event first.
create index webhook_deliveries_due_idx on webhook_deliveries (endpoint_id, occurred_at, id)
    where state = 'pending';
create index webhook_deliveries_next_idx on webhook_deliveries (next_attempt_at)
    where state = 'pending';
-- An endpoint's log, newest first.
create index webhook_deliveries_endpoint_idx
    on webhook_deliveries (endpoint_id, created_at desc, id desc);

create table webhook_attempts (
    id             bigint generated always as identity primary key,
    partner_id     uuid not null references partners (id),
    delivery_id    uuid not null references webhook_deliveries (id),
    attempted_at   timestamptz not null,
    -- The receiver's HTTP status, or null when there was no answer (error says why).
    status         integer,
    duration_ms    integer not null,
    -- The first bytes of the answer, as text: shown escaped, never as HTML.
    response       text not null default '',
    error          text
);
create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, id);

do $$
declare
    t text;
begin
    foreach t in array array['webhook_endpoints', 'webhook_events', 'webhook_deliveries',
                             'webhook_attempts'] loop
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
