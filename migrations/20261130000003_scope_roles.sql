-- Row-level security the planner can estimate. A policy of the form
-- `app_scope_all() or partner_id = app_partner()` hides from the planner which side holds,
-- so it guessed that a few rows in two hundred pass and chose plans accordingly (the admin's
-- payouts page sorted every payout: 2.4 s at 5,000 partners). Now each scope is a role:
--
-- - `portal_app` (requests of a partner's member or client user): only its partner's rows,
--   `partner_id = app_partner()`, which the planner reads like any equality;
-- - `portal_admin` (admins, sign-in, system work): every row, a policy of `true`;
-- - the owner keeps the settings-based policy (backups, maintenance).
--
-- The request pool's connections log in as `portal_app` and switch with SET ROLE for work
-- that sees every partner: as before, the app chooses the scope; PostgreSQL enforces it.
-- Neither role owns anything, is superuser or may bypass row-level security.

do $$
begin
    create role portal_admin nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
exception when duplicate_object or unique_violation then
    null; -- made by another database of this cluster (roles are cluster-wide)
end
$$;

do $$
begin
    grant portal_admin to portal_app;
exception when unique_violation or object_in_use then
    null; -- another database's migration granted it at the same moment
end
$$;

do $$
declare
    t record;
    col text;
begin
    for t in select tablename from pg_policies where schemaname = 'public' and policyname = 'tenant' loop
        col := case when t.tablename = 'partners' then 'id' else 'partner_id' end;
        execute format('drop policy tenant on %I', t.tablename);
        execute format(
            'create policy tenant_partner on %I to portal_app
             using (%I = app_partner()) with check (%I = app_partner())', t.tablename, col, col);
        execute format(
            'create policy tenant_all on %I to portal_admin using (true) with check (true)',
            t.tablename);
        execute format(
            'create policy tenant_owner on %I to %I
             using (app_scope_all() or %I = app_partner())
             with check (app_scope_all() or %I = app_partner())', t.tablename, current_user, col, col);
    end loop;
end
$$;

grant usage on schema public, tower_sessions to portal_admin;
grant select, insert, update, delete on all tables in schema public to portal_admin;
grant select, insert, update, delete on tower_sessions.session to portal_admin;
grant usage, select on all sequences in schema public to portal_admin;
revoke update, delete, truncate on audit_log, commission_closes, commission_statements,
    commission_lines from portal_admin;
grant update (payout_id) on commission_statements to portal_admin;
alter default privileges in schema public
    grant select, insert, update, delete on tables to portal_admin;
alter default privileges in schema public grant usage, select on sequences to portal_admin;

do $$
begin
    if to_regclass('_sqlx_migrations') is not null then
        revoke all on _sqlx_migrations from portal_admin;
    end if;
end
$$;
