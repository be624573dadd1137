-- Two-factor sign-in is required of every admin (in code) and, when its owner says so, of
-- every member of a partner. A member without it may sign in and set it up on /account,
-- and nothing else until then.
alter table partners add column two_factor_required boolean not null default false;
