-- Fees and payments, sealed results and notification delivery (issue 12). Keep in step with the other backend's 0009.

-- A fee the dossier owes: the amount with its breakdown (JSON of the catalog quote), when it is collected, and the
-- officer's reason when the amount differs from the catalog. One open request per dossier.
create table fee_requests (
    id integer primary key,
    dossier_id bigint not null references dossiers (id),
    amount bigint not null,
    quoted bigint,
    breakdown text not null,
    collection text not null,
    reason text not null default '',
    state text not null,
    created_at text not null,
    created_by bigint references users (id),
    paid_at text
);
create index fee_requests_dossier on fee_requests (dossier_id);

-- One payment order (online) or record (cash, transfer). An order is paid once: the state moves from pending in
-- a conditional update, so a replayed or concurrent callback cannot record it twice.
create table payments (
    id integer primary key,
    fee_request_id bigint not null references fee_requests (id),
    dossier_id bigint not null references dossiers (id),
    order_ref text not null unique,
    method text not null,
    amount bigint not null,
    state text not null,
    created_at text not null,
    created_by bigint references users (id),
    gateway_created text not null default '',
    paid_at text,
    gateway_txn text,
    gateway_code text,
    receipt_no text unique,
    checked_at text
);
create index payments_dossier on payments (dossier_id);
create index payments_pending on payments (state, created_at);
create index payments_paid on payments (paid_at);

-- An agency's signing keys: the private half sealed with the data key; a retired key still verifies what it
-- signed, a revoked one no longer does.
create table seal_keys (
    id integer primary key,
    agency_id bigint not null references agencies (id),
    key_id text not null unique,
    public_key text not null,
    secret_sealed text not null,
    created_at text not null,
    retired_at text,
    revoked_at text,
    revoke_reason text
);
create index seal_keys_agency on seal_keys (agency_id);

-- A sealed result: the document's SHA-256 signed by the agency's key; `token` is the verification page's address.
create table sealed_results (
    id integer primary key,
    token text not null unique,
    dossier_id bigint not null references dossiers (id),
    document_id bigint not null references dossier_documents (id),
    key_id text not null references seal_keys (key_id),
    sha256 text not null,
    signature text not null,
    title text not null,
    result_code text not null,
    agency_name text not null,
    issued_at text not null
);
create index sealed_results_dossier on sealed_results (dossier_id);

-- How an applicant wants to hear from us: channels (comma separated: email, sms, zalo) and the e-mail address.
alter table dossiers add column applicant_email text;
alter table dossiers add column notify_channels text not null default 'sms';

-- Delivery of the outbox: one row per message and channel, retried with backoff, dead after the last attempt.
-- `sent_at` on the outbox now means "turned into deliveries".
create table deliveries (
    id integer primary key,
    outbox_id bigint not null references outbox (id),
    channel text not null,
    address text not null,
    subject text not null,
    body text not null,
    state text not null,
    attempts integer not null default 0,
    next_at text not null,
    leased_until text,
    last_error text not null default '',
    sent_at text,
    unique (outbox_id, channel)
);
create index deliveries_due on deliveries (state, next_at);
