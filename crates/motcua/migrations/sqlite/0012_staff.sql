-- Staff and workload (issue 13). Keep in step with the other backend's 0012.

-- An officer's position (chức vụ) and specialty (motcua_domain::report::staff::Specialty; '' = not recorded).
alter table users add column position text not null default '';
alter table users add column specialty text not null default '';

-- Secondments and rotations between agencies: the officer serves at `to_agency_id` from `starts_on` to `ends_on`
-- (dates 'YYYY-MM-DD'; open-ended when null).
create table secondments (
    id integer primary key,
    user_id bigint not null references users (id),
    from_agency_id bigint not null references agencies (id),
    to_agency_id bigint not null references agencies (id),
    starts_on text not null,
    ends_on text,
    reason text not null,
    decided_by bigint not null references users (id),
    decided_at text not null
);
create index secondments_user on secondments (user_id);
create index secondments_to on secondments (to_agency_id);
