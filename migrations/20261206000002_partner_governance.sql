-- Admin partner management: a pinned tier may end on a day (the first close after it
-- recomputes the tier again), custom CSS has its own switch beside white-label, and the
-- reason for a partner's status is kept beside it (the audit log keeps every change).
alter table partners
    add column tier_pinned_until date,
    add column custom_css_enabled boolean not null default true,
    add column status_reason text check (length(status_reason) <= 500),
    add constraint partners_pin_end_needs_a_pin check (tier_pinned or tier_pinned_until is null);

-- The admin's partner list: search by name or slug (sorted by name: partners_name_idx).
create index partners_search_idx on partners using gin ((lower(name) || ' ' || slug) gin_trgm_ops);
