-- The audit log viewers page newest first by (occurred_at, id) under each filter: one index
-- per filter, each read in that order, so that a page is an index range at any depth.
drop index audit_log_partner_time_idx;
create index audit_log_partner_time_idx on audit_log (partner_id, occurred_at desc, id desc);
drop index audit_log_time_idx;
create index audit_log_time_idx on audit_log (occurred_at desc, id desc);
create index audit_log_action_time_idx on audit_log (action, occurred_at desc, id desc);
create index audit_log_actor_time_idx on audit_log (actor_user_id, occurred_at desc, id desc)
    where actor_user_id is not null;
create index audit_log_real_user_time_idx on audit_log (real_user_id, occurred_at desc, id desc)
    where real_user_id is not null;
create index audit_log_target_time_idx on audit_log (target_id, occurred_at desc, id desc)
    where target_id is not null;
create index audit_log_target_type_time_idx on audit_log (target_type, occurred_at desc, id desc)
    where target_type is not null;
