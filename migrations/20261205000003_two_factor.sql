-- Two-factor sign-in. A person's TOTP secret (unconfirmed while they enrol), the last time
-- step a code was accepted for (so that a code works once), and their single-use recovery
-- codes, stored as SHA-256.
create table user_totp (
    user_id      uuid primary key references users (id),
    secret       bytea not null,
    confirmed_at timestamptz,
    last_step    bigint,
    created_at   timestamptz not null default now()
);

create table recovery_codes (
    id        uuid primary key default gen_random_uuid(),
    user_id   uuid not null references users (id),
    code_hash bytea not null,
    used_at   timestamptz
);
create index recovery_codes_user_idx on recovery_codes (user_id) where used_at is null;
