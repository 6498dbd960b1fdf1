-- A province's correction of a procedure's document checklist (or the national one, province ''), versioned: the
-- newest version wins over the parse of the published record. The text is the administrator's, one line a paper.
create table checklist_corrections (
    id integer primary key,
    procedure_code text not null references procedures (code),
    province_code text not null default '',
    version integer not null,
    body text not null,
    note text not null default '',
    created_by bigint references users (id),
    created_at text not null,
    unique (procedure_code, province_code, version)
);

-- What was received at intake, as form 01 lists it: the case and the papers ticked (JSON).
alter table dossiers add column papers text not null default '';
