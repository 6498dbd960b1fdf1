-- The leaders' figures (issue 13). Keep in step with the other backend's 0011.

-- When a dossier closed (refused, withdrawn, stopped, completed): the day its closing is counted.
alter table dossiers add column closed_at text;
update dossiers set closed_at = coalesce(completed_at, updated_at) where status in (3, 7, 8, 9, 10);

-- Daily and monthly counters per competent agency and procedure (motcua_domain::report::Counter codes), kept in
-- the transaction of every change of a dossier; `motcua reports rebuild` recomputes them from the dossiers.
-- Days are Vietnamese dates (UTC+7), 'YYYY-MM-DD'; months 'YYYY-MM'.
create table report_days (
    agency_id bigint not null references agencies (id),
    procedure_code text not null,
    day text not null,
    counter smallint not null,
    n bigint not null,
    primary key (agency_id, day, procedure_code, counter)
);
create table report_months (
    agency_id bigint not null references agencies (id),
    procedure_code text not null,
    month text not null,
    counter smallint not null,
    n bigint not null,
    primary key (agency_id, month, procedure_code, counter)
);
-- Open dossiers by due date ('' when none) and status.
create table report_open (
    agency_id bigint not null references agencies (id),
    procedure_code text not null,
    due_day text not null,
    status smallint not null,
    n bigint not null,
    primary key (agency_id, procedure_code, due_day, status)
);
