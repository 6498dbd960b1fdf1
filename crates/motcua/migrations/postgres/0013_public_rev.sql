-- What the public tracking page shows of a dossier changes with these rows; `public_rev` counts those changes so a
-- cached tracking answer is reused only while it is still exact (read-after-write). Keep in step with the other
-- backend's 0013.
alter table dossiers add column public_rev bigint not null default 0;

create function dossier_public_rev() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        update dossiers set public_rev = public_rev + 1 where id = old.dossier_id;
        return old;
    end if;
    update dossiers set public_rev = public_rev + 1 where id = new.dossier_id;
    return new;
end $$;

create trigger dossier_events_rev after insert or update or delete on dossier_events for each row execute function dossier_public_rev();
create trigger dossier_steps_rev after insert or update or delete on dossier_steps for each row execute function dossier_public_rev();
create trigger dossier_notices_rev after insert or update or delete on dossier_notices for each row execute function dossier_public_rev();
create trigger dossier_documents_rev after insert or update or delete on dossier_documents for each row execute function dossier_public_rev();
create trigger ratings_rev after insert or update or delete on ratings for each row execute function dossier_public_rev();
create trigger fee_requests_rev after insert or update or delete on fee_requests for each row execute function dossier_public_rev();
create trigger payments_rev after insert or update or delete on payments for each row execute function dossier_public_rev();
