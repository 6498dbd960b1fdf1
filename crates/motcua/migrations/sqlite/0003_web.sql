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
