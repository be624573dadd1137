-- Atomic limits (sign-in, applications, invitations): one row per key, counted and judged in
-- the same statement, so that parallel attempts cannot all slip under the limit. A window
-- that ends over its limit makes the next one twice as long (up to the cap): progressive
-- delays for whoever keeps guessing. Kept in the database so that every app server shares
-- the same counts.
create table throttles (
    key          text primary key,
    hits         integer not null check (hits >= 0),
    window_start timestamptz not null,
    window_secs  integer not null check (window_secs > 0)
);
create index throttles_window_idx on throttles (window_start);

drop table login_failures;
drop table rate_limit_hits;
