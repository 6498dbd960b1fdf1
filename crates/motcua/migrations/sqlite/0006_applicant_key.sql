-- The applicant's name folded for search (no diacritics, đ as d, lower case), so that an officer finds
-- "Nguyễn Văn An" by typing "nguyen van an". Filled at start for dossiers created before this column.
alter table dossiers add column applicant_key text not null default '';
create index dossiers_applicant_key on dossiers (applicant_key);
create index dossiers_applicant_id_hash on dossiers (applicant_id_hash);
