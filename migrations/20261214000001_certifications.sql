-- Certifications (seed 001 section 5.1, seed 004): a partner's members complete the
-- Foundation, Advanced and Master tracks, each with its required modules (listed in
-- src/certifications/model.rs). Admins record a completion with its date and expiry, and can
-- revoke it. A partner's certification level follows from its members' valid certifications
-- by the rule table in the same file; it is computed when read (a partner has few rows).

create table member_certifications (
    id            uuid primary key default gen_random_uuid(),
    partner_id    uuid not null references partners (id),
    user_id       uuid not null references users (id),
    track         text not null check (track in ('foundation', 'advanced', 'master')),
    modules       text[] not null check (cardinality(modules) between 1 and 20),
    completed_on  date not null,
    expires_on    date not null check (expires_on > completed_on),
    recorded_by   uuid references users (id),
    recorded_at   timestamptz not null default now(),
    revoked_at    timestamptz,
    revoked_by    uuid references users (id),
    -- When the holder was told it expires soon (once per certification).
    reminded_at   timestamptz
);
-- A partner's certifications, newest first; the level reads the valid ones.
create index member_certifications_partner_idx
    on member_certifications (partner_id, completed_on desc, id desc);
-- The reminder sweep: valid certifications by expiry.
create index member_certifications_expiry_idx
    on member_certifications (expires_on) where revoked_at is null and reminded_at is null;

alter table member_certifications enable row level security;
create policy tenant_partner on member_certifications to portal_app
    using (partner_id = app_partner()) with check (partner_id = app_partner());
create policy tenant_all on member_certifications to portal_admin using (true) with check (true);
do $$
begin
    execute format('create policy tenant_owner on member_certifications to %I
        using (app_scope_all() or partner_id = app_partner())
        with check (app_scope_all() or partner_id = app_partner())', current_user);
end
$$;
