-- What the public tracking page shows of a dossier changes with these rows; `public_rev` counts those changes so a
-- cached tracking answer is reused only while it is still exact (read-after-write). Keep in step with the other
-- backend's 0013.
alter table dossiers add column public_rev bigint not null default 0;

create trigger dossier_events_insert_rev after insert on dossier_events begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_events_update_rev after update on dossier_events begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_events_delete_rev after delete on dossier_events begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
create trigger dossier_steps_insert_rev after insert on dossier_steps begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_steps_update_rev after update on dossier_steps begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_steps_delete_rev after delete on dossier_steps begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
create trigger dossier_notices_insert_rev after insert on dossier_notices begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_notices_update_rev after update on dossier_notices begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_notices_delete_rev after delete on dossier_notices begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
create trigger dossier_documents_insert_rev after insert on dossier_documents begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_documents_update_rev after update on dossier_documents begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger dossier_documents_delete_rev after delete on dossier_documents begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
create trigger ratings_insert_rev after insert on ratings begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger ratings_update_rev after update on ratings begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger ratings_delete_rev after delete on ratings begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
create trigger fee_requests_insert_rev after insert on fee_requests begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger fee_requests_update_rev after update on fee_requests begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger fee_requests_delete_rev after delete on fee_requests begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
create trigger payments_insert_rev after insert on payments begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger payments_update_rev after update on payments begin update dossiers set public_rev = public_rev + 1 where id = new.dossier_id; end;
create trigger payments_delete_rev after delete on payments begin update dossiers set public_rev = public_rev + 1 where id = old.dossier_id; end;
