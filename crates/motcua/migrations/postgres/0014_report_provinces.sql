-- Province rollups (issue 13): each province's total per day and per month and counter (the agencies' total rows
-- summed), so a province's or the nation's figures read 34 rows where they read thousands. Maintained in the same
-- transaction as the agencies' rows; `motcua reports check` compares them. Keep in step with the other backend.
create table report_province_days (
    province_code text not null,
    day text not null,
    counter smallint not null,
    n bigint not null,
    primary key (province_code, day, counter)
);
create table report_province_months (
    province_code text not null,
    month text not null,
    counter smallint not null,
    n bigint not null,
    primary key (province_code, month, counter)
);
insert into report_province_days (province_code, day, counter, n)
select coalesce(u.province_code, u.code), r.day, r.counter, sum(r.n)
from report_days r join agencies a on a.id = r.agency_id join units u on u.code = a.unit_code
where r.procedure_code = ''
group by coalesce(u.province_code, u.code), r.day, r.counter;
insert into report_province_months (province_code, month, counter, n)
select coalesce(u.province_code, u.code), r.month, r.counter, sum(r.n)
from report_months r join agencies a on a.id = r.agency_id join units u on u.code = a.unit_code
where r.procedure_code = ''
group by coalesce(u.province_code, u.code), r.month, r.counter;
