-- A partner's profile for lead assignment (seed 001 section 6.1, seed 004): the countries it
-- serves (ISO 3166-1 alpha-2 codes) and the industries it knows (slugs of the list in
-- src/governance/profile.rs). Admins set them; GIN indexes answer "who serves DE in retail".
alter table partners
    add column territories text[] not null default '{}'
        check (cardinality(territories) <= 60
               and array_to_string(territories, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
    add column industries text[] not null default '{}'
        check (cardinality(industries) <= 20
               and array_to_string(industries, ',') ~ '^([a-z_]{2,40}(,[a-z_]{2,40})*)?$');
create index partners_territories_idx on partners using gin (territories);
create index partners_industries_idx on partners using gin (industries);
