-- "Forgot password?": a single-use link by e-mail, valid for 30 minutes. Only a SHA-256 of
-- the token is stored. A used reset ends every session of the person (users.sessions_ended_at).
create table password_resets (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid not null references users (id),
    token_hash bytea not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index password_resets_user_idx on password_resets (user_id);
-- The housekeeper forgets resets a day after they expire.
create index password_resets_expires_idx on password_resets (expires_at);
