-- Reference data the server caches (the plan list) announces its changes, so every server
-- drops its copy: see src/db/reference.rs.
create function notify_reference_changed() returns trigger
language plpgsql as $$
begin
    perform pg_notify('reference_changed', tg_table_name);
    return null;
end
$$;

create trigger plans_reference_changed
    after insert or update or delete or truncate on plans
    for each statement execute function notify_reference_changed();
