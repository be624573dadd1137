-- Tenancy enforced by PostgreSQL as well as by the code.
--
-- The portal serves requests as `portal_app`: a role that owns nothing and is neither
-- superuser nor BYPASSRLS (the portal refuses to start otherwise). Migrations run as the
-- owner. Every table with a partner_id has row-level security, forced: a row is visible
-- and writable only when the connection's scope is 'all' (admins, system work) or its
-- partner is the row's partner. The portal sets both settings each time it hands out a
-- connection; a connection that set nothing sees no partner rows at all.

do $$
begin
    create role portal_app nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
exception when duplicate_object or unique_violation then
    null; -- made by another database of this cluster (roles are cluster-wide)
end
$$;

create function app_scope_all() returns boolean
    language sql stable
    as $$ select coalesce(current_setting('app.scope', true), '') = 'all' $$;

create function app_partner() returns uuid
    language sql stable
    as $$ select nullif(current_setting('app.partner_id', true), '')::uuid $$;

do $$
declare
    t text;
begin
    foreach t in array array[
        'audit_log', 'branding_assets', 'branding_versions', 'client_users', 'clients',
        'commission_adjustments', 'commission_lines', 'commission_statements', 'email_outbox',
        'impersonation_sessions', 'invitations', 'partner_applications', 'partner_domains',
        'partner_members', 'payouts', 'subscription_events'
    ] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant on %I using (app_scope_all() or partner_id = app_partner())
             with check (app_scope_all() or partner_id = app_partner())', t);
    end loop;
end
$$;

alter table partners enable row level security;
alter table partners force row level security;
create policy tenant on partners
    using (app_scope_all() or id = app_partner())
    with check (app_scope_all() or id = app_partner());

-- What the app role may do. The audit log and the closed months' figures are written once
-- and never changed: insert and select only (a statement's payout is its one later fact).
grant usage on schema public, tower_sessions to portal_app;
grant select, insert, update, delete on all tables in schema public to portal_app;
grant select, insert, update, delete on tower_sessions.session to portal_app;
grant usage, select on all sequences in schema public to portal_app;
revoke update, delete, truncate on audit_log, commission_closes, commission_statements,
    commission_lines from portal_app;
grant update (payout_id) on commission_statements to portal_app;
alter default privileges in schema public
    grant select, insert, update, delete on tables to portal_app;
alter default privileges in schema public grant usage, select on sequences to portal_app;

do $$
begin
    if to_regclass('_sqlx_migrations') is not null then
        revoke all on _sqlx_migrations from portal_app;
    end if;
end
$$;
