-- A partner's team: invitations that can be withdrawn, when each person last signed in, and
-- the rule that a partner always keeps an owner.

-- An invitation withdrawn by the owner can no longer be accepted. A resent invitation gets a
-- new token (the old link stops working) and a new expiry.
alter table invitations add column revoked_at timestamptz;
alter table invitations add column resent_at timestamptz;

-- Shown on the team page; written at each successful sign-in.
alter table users add column last_sign_in_at timestamptz;

-- The team page lists members in the order they joined, a page at a time.
create index partner_members_joined_idx on partner_members (partner_id, created_at, user_id);

-- The last owner can never be removed, demoted or leave: checked after every change to a
-- member, whoever makes it. The partner's row is locked first, so that two owners demoting
-- each other at the same moment are judged one after the other (the second sees the first's
-- change), never both against the state before either.
create function partner_keeps_an_owner() returns trigger
    language plpgsql
    as $$
begin
    if old.role <> 'owner' then
        return null;
    end if;
    perform 1 from partners where id = old.partner_id for update;
    if not exists (
        select 1 from partner_members where partner_id = old.partner_id and role = 'owner'
    ) then
        raise exception 'partner % would have no owner', old.partner_id
            using errcode = '23514', constraint = 'partner_members_last_owner';
    end if;
    return null;
end
$$;

create trigger partner_members_last_owner
    after update of role or delete on partner_members
    for each row execute function partner_keeps_an_owner();

-- Whether an address already has a place in the portal (an admin, a disabled account, a
-- member of any partner or a client's user), asked before a team invitation is sent. The
-- caller's scope shows only its own partner's rows, so this looks past it: it runs as its
-- owner, whose policy follows app.scope, set to 'all' for the call only (a function's SET
-- ends with the call). It answers nothing but yes or no.
create function email_has_place(address text) returns boolean
    language sql stable security definer
    set search_path = public, pg_temp
    set app.scope = 'all'
    as $$
        select exists (
            select 1 from users u
            where u.email = address
              and (u.is_admin or u.disabled_at is not null
                   or exists (select 1 from partner_members m where m.user_id = u.id)
                   or exists (select 1 from client_users c where c.user_id = u.id)))
    $$;
revoke all on function email_has_place(text) from public;
grant execute on function email_has_place(text) to portal_app, portal_admin;
