-- White-label branding: uploaded assets, saved versions (one published), custom domains.

create type brand_asset_kind as enum ('logo', 'favicon', 'background');

-- Uploaded images, kept in the database so that app servers stay stateless. The checksum
-- names the bytes: it is part of the asset's URL and its ETag.
create table branding_assets (
    id           uuid primary key default gen_random_uuid(),
    partner_id   uuid not null references partners (id),
    kind         brand_asset_kind not null,
    file_name    text not null check (length(file_name) between 1 and 200),
    content_type text not null
                 check (content_type in ('image/png', 'image/jpeg', 'image/webp', 'image/x-icon')),
    bytes        bytea not null,
    sha256       text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    width        integer not null check (width > 0),
    height       integer not null check (height > 0),
    uploaded_by  uuid references users (id),
    created_at   timestamptz not null default now(),
    unique (partner_id, id)
);
create index branding_assets_partner_idx on branding_assets (partner_id, created_at desc);

-- One row per saved version. Versions are never edited: restoring an earlier one saves a
-- copy as a new draft. At most one version of a partner is published (live).
create table branding_versions (
    id               uuid primary key default gen_random_uuid(),
    partner_id       uuid not null references partners (id),
    number           integer not null check (number > 0),
    primary_color    text not null check (primary_color ~ '^#[0-9a-f]{6}$'),
    secondary_color  text not null check (secondary_color ~ '^#[0-9a-f]{6}$'),
    success_color    text not null check (success_color ~ '^#[0-9a-f]{6}$'),
    warning_color    text not null check (warning_color ~ '^#[0-9a-f]{6}$'),
    error_color      text not null check (error_color ~ '^#[0-9a-f]{6}$'),
    -- Each image is an uploaded asset or an https URL, never both.
    logo_asset_id       uuid,
    logo_url            text check (logo_url ~ '^https://'),
    favicon_asset_id    uuid,
    favicon_url         text check (favicon_url ~ '^https://'),
    background_asset_id uuid,
    background_url      text check (background_url ~ '^https://'),
    company_name     text check (length(company_name) between 1 and 100),
    support_email    text check (length(support_email) between 3 and 254),
    support_phone    text check (length(support_phone) between 3 and 40),
    terms_url        text check (terms_url ~ '^https://'),
    privacy_url      text check (privacy_url ~ '^https://'),
    -- What the partner wrote, and what is served: the sanitizer's rebuild of it.
    custom_css_source text not null default '' check (length(custom_css_source) <= 20000),
    custom_css        text not null default '',
    saved_by         uuid references users (id),
    saved_at         timestamptz not null default now(),
    restored_from    integer,
    is_published     boolean not null default false,
    published_by     uuid references users (id),
    published_at     timestamptz,
    check (logo_asset_id is null or logo_url is null),
    check (favicon_asset_id is null or favicon_url is null),
    check (background_asset_id is null or background_url is null),
    check (is_published = false or published_at is not null),
    unique (partner_id, number),
    foreign key (partner_id, logo_asset_id) references branding_assets (partner_id, id),
    foreign key (partner_id, favicon_asset_id) references branding_assets (partner_id, id),
    foreign key (partner_id, background_asset_id) references branding_assets (partner_id, id)
);
create unique index branding_versions_published_key
    on branding_versions (partner_id) where is_published;

-- A partner's custom domain. It serves the brand only once the TXT record has been seen.
create table partner_domains (
    partner_id  uuid primary key references partners (id),
    domain      text not null unique
                check (domain ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'),
    token       text not null check (length(token) between 16 and 100),
    verified_at timestamptz,
    checked_at  timestamptz,
    created_at  timestamptz not null default now()
);
