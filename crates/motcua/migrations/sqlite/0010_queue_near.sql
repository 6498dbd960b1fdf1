-- "Your turn is near" (issue 12): a phone number the person gave when taking the number on their phone, sealed
-- with the data key and erased with the day's card reads; whether the message was queued.
alter table queue_tickets add column notify_phone text;
alter table queue_tickets add column near_sent boolean not null default false;
