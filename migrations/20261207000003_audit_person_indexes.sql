-- A partner's log filtered by person: each half of "done by them or through them" (the
-- actor, the real user of an impersonation) is read in page order within the partner.
create index audit_log_partner_actor_time_idx
    on audit_log (partner_id, actor_user_id, occurred_at desc, id desc)
    where actor_user_id is not null;
create index audit_log_partner_real_time_idx
    on audit_log (partner_id, real_user_id, occurred_at desc, id desc)
    where real_user_id is not null;
