-- Web application: saved online applications (drafts, sealed with the data key) and satisfaction ratings.
create table drafts (
    id text primary key,
    user_id bigint not null references users (id),
    procedure_code text not null references procedures (code),
    data text not null,
    created_at text not null,
    updated_at text not null
);
create index drafts_user on drafts (user_id);

create table ratings (
    id integer primary key,
    dossier_id bigint not null unique references dossiers (id),
    level smallint not null check (level between 1 and 3),
    reasons text not null,
    comment text not null,
    rated_at text not null
);

-- Feedback and recommendations (phản ánh, kiến nghị): sender details sealed; the answer may be published.
create table feedback (
    id integer primary key,
    agency_id bigint not null references agencies (id),
    dossier_code text,
    title text not null,
    body text not null,
    sender text not null,
    created_at text not null,
    answer text,
    answered_by bigint references users (id),
    answered_at text,
    published boolean not null default false
);
create index feedback_agency on feedback (agency_id, created_at);

-- Counters of a service center and the procedure fields each serves (used by the queue).
create table counters (
    id integer primary key,
    agency_id bigint not null references agencies (id),
    number integer not null,
    name text not null,
    fields text not null,
    active boolean not null default true,
    unique (agency_id, number)
);
