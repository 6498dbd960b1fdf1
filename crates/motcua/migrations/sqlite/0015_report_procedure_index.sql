-- Which procedures were used through a counter (the 766 index's online services), for the whole deployment:
-- a seek per procedure instead of a scan of every agency's rows (issue 13). Keep in step with the postgres 0015.
create index report_months_by_procedure on report_months (counter, procedure_code, month);
create index report_days_by_procedure on report_days (counter, procedure_code, day);
