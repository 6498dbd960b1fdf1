-- motcua schema, version 1 (SQLite). Keep in step with migrations/postgres/0001_init.sql: same tables, same columns.

create table units (
    code text primary key,
    level text not null,
    province_code text,
    name text not null,
    short_name text not null,
    name_en text not null,
    kind text not null,
    search_key text not null,
    disadvantaged boolean not null default false,
    valid_from date not null,
    valid_to date
);
create index units_province on units (province_code);

create table unit_history (
    id integer primary key,
    unit_code text not null references units (code),
    valid_from date not null,
    valid_to date,
    name text not null,
    kind text not null,
    source text not null
);
create index unit_history_unit on unit_history (unit_code);

create table merge_map (
    id integer primary key,
    old_province_code text not null,
    old_province_name text not null,
    old_district_code text not null,
    old_district_name text not null,
    old_unit_code text not null,
    old_unit_name text not null,
    old_search_key text not null,
    new_province_code text not null,
    new_unit_code text not null,
    new_unit_name text not null,
    merge_type text not null,
    resolution text not null
);
create index merge_map_old_code on merge_map (old_unit_code);
create index merge_map_old_province on merge_map (new_province_code, old_search_key);

create table agencies (
    id integer primary key,
    identifier text not null unique,
    identifier_is_placeholder boolean not null,
    name text not null,
    kind text not null,
    unit_code text not null references units (code),
    parent_id bigint references agencies (id),
    search_key text not null
);
create index agencies_unit on agencies (unit_code);

create table procedures (
    code text primary key,
    national_code text not null,
    name text not null,
    search_key text not null,
    field text not null,
    field_key text not null,
    level_ministry boolean not null,
    level_province boolean not null,
    level_commune boolean not null,
    level_other boolean not null,
    procedure_type text not null,
    decision text not null,
    issuing_agency text not null,
    implementing_agency text not null,
    ministry_group text not null,
    online_level text not null,
    boundary_free boolean not null,
    cutoff text,
    parse_status text not null,
    detail text,
    raw text,
    source text not null,
    updated_at text not null
);
create index procedures_field on procedures (field_key);

create table users (
    id integer primary key,
    username text not null unique,
    display_name text not null,
    password_hash text not null,
    role text not null,
    agency_id bigint references agencies (id),
    totp_secret text,
    is_demo boolean not null,
    failed_logins integer not null default 0,
    locked_until text,
    disabled boolean not null default false,
    last_login_at text,
    created_at text not null
);

create table sessions (
    token_hash text primary key,
    user_id bigint not null references users (id),
    created_at text not null,
    last_seen_at text not null,
    expires_at text not null
);
create index sessions_user on sessions (user_id);

create table dossier_counters (
    agency_identifier text not null,
    day text not null,
    next bigint not null,
    primary key (agency_identifier, day)
);

create table dossiers (
    id integer primary key,
    code text not null unique,
    procedure_code text not null references procedures (code),
    receiving_agency_id bigint not null references agencies (id),
    competent_agency_id bigint not null references agencies (id),
    channel text not null,
    status smallint not null,
    applicant_kind text not null,
    applicant_name text not null,
    applicant_id_number text not null,
    applicant_id_masked text not null,
    applicant_id_hash text not null,
    applicant_phone text,
    applicant_address text,
    citizen_user_id bigint references users (id),
    summary text not null,
    submitted_at text not null,
    received_at text,
    due_at text,
    completed_at text,
    is_demo boolean not null,
    created_by bigint references users (id),
    created_at text not null,
    updated_at text not null,
    version integer not null
);
create index dossiers_status on dossiers (status);
create index dossiers_citizen on dossiers (citizen_user_id);

create table dossier_agencies (
    dossier_id bigint not null references dossiers (id),
    agency_id bigint not null references agencies (id),
    role text not null,
    since text not null,
    primary key (dossier_id, agency_id, role)
);
create index dossier_agencies_agency on dossier_agencies (agency_id);

create table dossier_events (
    id integer primary key,
    dossier_id bigint not null references dossiers (id),
    at text not null,
    actor_user_id bigint references users (id),
    action text not null,
    from_status smallint,
    to_status smallint not null,
    note text not null
);
create index dossier_events_dossier on dossier_events (dossier_id);

create table audit_log (
    id integer primary key,
    at text not null,
    actor_user_id bigint,
    actor_role text not null,
    action text not null,
    entity text not null,
    entity_key text not null,
    dossier_id bigint,
    purpose text not null,
    request_id text not null
);
create index audit_log_dossier on audit_log (dossier_id);

create table calendar_overrides (
    day date primary key,
    kind text not null,
    note text not null,
    source text not null
);

create table import_runs (
    id integer primary key,
    at text not null,
    kind text not null,
    source text not null,
    total bigint not null,
    full_count bigint not null,
    partial_count bigint not null,
    none_count bigint not null,
    note text not null
);
