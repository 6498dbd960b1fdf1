-- The queue of a service center (issue 11). Keep in step with the other backend's 0008.

-- A service of a center's queue: its letter on the tickets, the procedure fields it takes, the priority rule
-- (one priority call in every N; 0 none, 1 always first) and the handling time planned until one is measured.
create table queue_services (
    id integer primary key,
    agency_id bigint not null references agencies (id),
    letter text not null,
    name text not null,
    fields text not null default '',
    priority_every integer not null default 3,
    handling_minutes integer not null default 12,
    active boolean not null default true,
    unique (agency_id, letter)
);

-- Which counters call which services.
create table queue_counter_services (
    counter_id bigint not null references counters (id),
    service_id bigint not null references queue_services (id),
    primary key (counter_id, service_id)
);

-- The last ticket number of a center's day (numbers are per center per day).
create table queue_days (
    agency_id bigint not null references agencies (id),
    day text not null,
    last_number integer not null,
    primary key (agency_id, day)
);

-- A ticket. `since` is when it joins the queue (taken for a walk-in, the slot for an appointment); `person` is what
-- the kiosk read from the ID card, sealed with the data key, so the counter can prefill the dossier; it is erased
-- when the ticket is finished or at the end of its day.
create table queue_tickets (
    id integer primary key,
    agency_id bigint not null references agencies (id),
    day text not null,
    number integer not null,
    service_id bigint not null references queue_services (id),
    source text not null,
    priority text,
    token text not null unique,
    state text not null,
    taken_at text not null,
    since text not null,
    appointment_at text,
    called_at text,
    counter_id bigint references counters (id),
    recalls integer not null default 0,
    started_at text,
    finished_at text,
    procedure_code text references procedures (code),
    dossier_id bigint references dossiers (id),
    person text,
    assisted_by text,
    booked_by bigint references users (id),
    transferred_from bigint references queue_services (id),
    unique (agency_id, day, number)
);
create index queue_tickets_day on queue_tickets (agency_id, day, state);
create index queue_tickets_dossier on queue_tickets (dossier_id);

-- An alert to the center's director when the projected wait of a service passes the threshold, once an hour.
create table queue_alerts (
    agency_id bigint not null references agencies (id),
    service_id bigint not null references queue_services (id),
    hour text not null,
    projected_minutes integer not null,
    waiting integer not null,
    created_at text not null,
    primary key (agency_id, service_id, hour)
);
