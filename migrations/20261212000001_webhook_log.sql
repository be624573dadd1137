-- The delivery log's filters. Each delivery keeps its event's type, so that an endpoint's
-- log reads by type, or by outcome, along an index, newest first, whatever its length.

alter table webhook_deliveries add column event_type text;
update webhook_deliveries d set event_type = e.event_type
from webhook_events e where e.id = d.event_id;
alter table webhook_deliveries alter column event_type set not null;

create index webhook_deliveries_endpoint_type_idx
    on webhook_deliveries (endpoint_id, event_type, created_at desc, id desc);
create index webhook_deliveries_endpoint_state_idx
    on webhook_deliveries (endpoint_id, state, created_at desc, id desc);
