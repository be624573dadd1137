-- An owner proposes the partner's territories and industries; an admin accepts the proposal
-- (it becomes the profile lead assignment matches on) or dismisses it. One proposal at a time.
alter table partners
    add column proposed_territories text[]
        check (cardinality(proposed_territories) <= 60
               and array_to_string(proposed_territories, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
    add column proposed_industries text[]
        check (cardinality(proposed_industries) <= 20
               and array_to_string(proposed_industries, ',') ~ '^([a-z_]{2,40}(,[a-z_]{2,40})*)?$'),
    add column proposal_reason text check (char_length(proposal_reason) <= 500),
    add column proposed_at timestamptz,
    add column proposed_by uuid references users (id),
    add check ((proposed_at is null) = (proposed_territories is null)
               and (proposed_at is null) = (proposed_industries is null));
