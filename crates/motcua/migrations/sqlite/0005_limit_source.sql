-- Where a received dossier's time limit comes from: 'catalog' (the published procedure) or 'province' (its
-- workflow, when the published record gives no limit or the case has its own). '' until the dossier is received.
alter table dossiers add column limit_source text not null default '';
update dossiers set limit_source = 'catalog' where due_at is not null;

-- Whether the published record states a time limit (set at import from the parsed record; filled at start for
-- procedures imported before this column existed).
alter table procedures add column has_limit boolean;
