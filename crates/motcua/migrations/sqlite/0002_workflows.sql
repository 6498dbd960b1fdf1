-- motcua schema, version 2 (SQLite): workflows as data, the steps a dossier went through, notices (forms 02–05),
-- deadline warnings, the notification outbox and documents. Keep in step with the other backend's 0002.

create table workflows (
    id integer primary key,
    procedure_code text not null references procedures (code),
    case_key text not null,
    case_name text not null,
    limit_minutes bigint,
    version integer not null,
    steps text not null,
    note text not null,
    created_by bigint references users (id),
    created_at text not null,
    unique (procedure_code, case_key, version)
);

alter table dossiers add column workflow_id bigint references workflows (id);
alter table dossiers add column current_step integer;
alter table dossiers add column legal_due_at text;
alter table dossiers add column result_method text;
alter table dossiers add column result_receiver text;
alter table dossiers add column parent_id bigint references dossiers (id);
alter table dossiers add column case_key text;
create index dossiers_parent on dossiers (parent_id);
create index dossiers_due on dossiers (due_at);

create table dossier_steps (
    id integer primary key,
    dossier_id bigint not null references dossiers (id),
    seq integer not null,
    step_index integer not null,
    name text not null,
    role text not null,
    kind text not null,
    agency_id bigint not null references agencies (id),
    assignee_user_id bigint references users (id),
    budget_minutes bigint not null,
    started_at text not null,
    due_at text not null,
    finished_at text,
    finished_by bigint references users (id),
    outcome text,
    note text not null,
    unique (dossier_id, seq)
);
create index dossier_steps_open on dossier_steps (agency_id, finished_at);
create index dossier_steps_assignee on dossier_steps (assignee_user_id, finished_at);

create table dossier_notices (
    id integer primary key,
    dossier_id bigint not null references dossiers (id),
    form text not null,
    at text not null,
    actor_user_id bigint references users (id),
    reason text not null,
    items text not null,
    new_due_at text,
    amount bigint
);
create index dossier_notices_dossier on dossier_notices (dossier_id);

create table warnings (
    id integer primary key,
    dossier_id bigint not null references dossiers (id),
    step_seq integer not null,
    kind text not null,
    at text not null,
    unique (dossier_id, step_seq, kind)
);

create table outbox (
    id integer primary key,
    dossier_id bigint references dossiers (id),
    kind text not null,
    recipient text not null,
    payload text not null,
    created_at text not null,
    sent_at text
);
create index outbox_unsent on outbox (sent_at);

create table dossier_documents (
    id integer primary key,
    dossier_id bigint not null references dossiers (id),
    component text not null,
    component_key text not null,
    is_result boolean not null,
    file_name text not null,
    content_type text not null,
    size bigint not null,
    sha256 text not null,
    state smallint not null,
    source text not null,
    source_document_id bigint references dossier_documents (id),
    applicant_id_hash text not null,
    uploaded_by bigint references users (id),
    uploaded_at text not null
);
create index dossier_documents_dossier on dossier_documents (dossier_id);
create index dossier_documents_applicant on dossier_documents (applicant_id_hash, component_key);
