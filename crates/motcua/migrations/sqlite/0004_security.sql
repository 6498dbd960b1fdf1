-- Security (SQLite): the check value of the ID-hash key (a changed key re-keys the hashes), sign-in failures per
-- (account, client address), single-use TOTP steps, per-province catalog flags and workflows. Keep in step with the
-- other backend's 0004.
create table settings (
    name text primary key,
    value text not null
);

create table login_failures (
    account text not null,
    client text not null,
    failures integer not null,
    locked_until text,
    updated_at text not null,
    primary key (account, client)
);

alter table users add column totp_last_step bigint;

-- A province's own online level and boundary-free flag for a procedure (null: the national value).
create table procedure_flags (
    province_code text not null,
    procedure_code text not null references procedures (code),
    online_level text,
    boundary_free boolean,
    updated_by bigint references users (id),
    updated_at text not null,
    primary key (province_code, procedure_code)
);

-- A province's own workflow versions ('' = the national one). Version numbers stay unique per procedure and case.
alter table workflows add column province_code text not null default '';
