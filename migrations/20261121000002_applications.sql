-- Partner applications, their review (notes, status history), invitations, the e-mail
-- outbox and per-address rate limits.

create extension if not exists pg_trgm;

create type application_status as enum ('pending', 'reviewing', 'approved', 'rejected');
create type company_size as enum ('1-10', '11-50', '51-200', '201-500', '501+');

create table partner_applications (
    id               uuid primary key default gen_random_uuid(),
    -- What the applicant quotes when they write to us, e.g. APP-7K3D9QXM.
    reference        text not null unique check (reference ~ '^APP-[0-9A-Z]{8}$'),
    company_name     text not null check (length(company_name) between 1 and 200),
    contact_name     text not null check (length(contact_name) between 1 and 200),
    contact_email    text not null check (contact_email = lower(contact_email) and length(contact_email) between 3 and 254),
    contact_phone    text check (length(contact_phone) <= 40),
    website          text check (length(website) <= 300),
    partnership_type partnership_type not null,
    company_size     company_size not null,
    industry         text not null check (length(industry) between 1 and 100),
    current_solutions text check (length(current_solutions) <= 2000),
    target_market    text check (length(target_market) <= 2000),
    motivation       text not null check (length(motivation) between 1 and 4000),
    additional_info  text check (length(additional_info) <= 4000),
    status           application_status not null default 'pending',
    submitted_at     timestamptz not null default now(),
    decided_at       timestamptz,
    rejection_reason text check (length(rejection_reason) <= 2000),
    -- Set on approval: the partner this application became.
    partner_id       uuid references partners (id),
    client_addr      inet
);
-- One open application per e-mail address.
create unique index partner_applications_open_email_key
    on partner_applications (contact_email) where status in ('pending', 'reviewing');
-- The review queue sorts and filters on these.
create index partner_applications_submitted_idx on partner_applications (submitted_at desc, id);
create index partner_applications_status_submitted_idx on partner_applications (status, submitted_at desc, id);
create index partner_applications_company_idx on partner_applications (lower(company_name), id);
create index partner_applications_type_idx on partner_applications (partnership_type, submitted_at desc);
create index partner_applications_search_idx
    on partner_applications using gin ((lower(company_name) || ' ' || contact_email) gin_trgm_ops);

create table application_notes (
    id             uuid primary key default gen_random_uuid(),
    application_id uuid not null references partner_applications (id),
    author_id      uuid not null references users (id),
    body           text not null check (length(body) between 1 and 5000),
    created_at     timestamptz not null default now()
);
create index application_notes_application_idx on application_notes (application_id, created_at);

create table application_status_changes (
    id             uuid primary key default gen_random_uuid(),
    application_id uuid not null references partner_applications (id),
    from_status    application_status,
    to_status      application_status not null,
    changed_by     uuid references users (id),
    changed_at     timestamptz not null default now(),
    reason         text
);
create index application_status_changes_application_idx on application_status_changes (application_id, changed_at);

-- Single-use invitations; only a SHA-256 of the token is stored.
create table invitations (
    id          uuid primary key default gen_random_uuid(),
    token_hash  bytea not null unique,
    email       text not null check (email = lower(email)),
    partner_id  uuid not null references partners (id),
    role        member_role not null,
    invited_by  uuid references users (id),
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    accepted_at timestamptz
);
create index invitations_partner_idx on invitations (partner_id);

-- Mail is written here in the same transaction as the change it reports, and delivered by a
-- background task, so that a message is never lost and never sent for a change that failed.
create table email_outbox (
    id              uuid primary key default gen_random_uuid(),
    partner_id      uuid references partners (id),
    to_address      text not null,
    subject         text not null,
    body_text       text not null,
    created_at      timestamptz not null default now(),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    sent_at         timestamptz,
    last_error      text
);
create index email_outbox_due_idx on email_outbox (next_attempt_at) where sent_at is null;

-- Hits counted against per-address limits (e.g. application submissions).
create table rate_limit_hits (
    id     uuid primary key default gen_random_uuid(),
    key    text not null,
    hit_at timestamptz not null default now()
);
create index rate_limit_hits_key_time_idx on rate_limit_hits (key, hit_at);
