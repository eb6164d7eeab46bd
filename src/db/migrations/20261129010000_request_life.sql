-- A request's whole life: filing on behalf, service levels, auto-close, duplicates, satisfaction,
-- notifications (templates, preferences, once-only delivery, replies by e-mail), canned answers.

-- « Pour le compte de »: the local-unit agent a regional user files for (name and address only).
alter table requests add column on_behalf_name text;
alter table requests add column on_behalf_email text;
alter table requests add column on_behalf_copy boolean not null default false;

-- Service levels, in working time: due dates move forward while the clock is stopped (awaiting_info).
alter table requests add column first_response_due_at timestamptz;
alter table requests add column resolution_due_at timestamptz;
alter table requests add column first_response_at timestamptz;
alter table requests add column sla_paused_at timestamptz;
alter table requests add column resolved_at timestamptz;
alter table requests add column auto_close_reminded_at timestamptz;
create index requests_resolution_due_idx on requests (resolution_due_at)
  where status in ('new', 'in_progress', 'awaiting_info');
create index requests_resolved_at_idx on requests (resolved_at) where status = 'resolved';

alter table requests add column duplicate_of_id bigint references requests(id);

alter table requests add column satisfaction smallint check (satisfaction between 1 and 5);
alter table requests add column satisfaction_comment text;
alter table requests add column satisfaction_at timestamptz;

-- Who links, and when (request_links holds each pair once, smallest id first).
alter table request_links add column created_by int references users(id);
alter table request_links add column created_at timestamptz not null default now();
create index request_links_linked_idx on request_links (linked_request_id);

-- Agents choose how they hear of new requests of their applications.
alter table users add column notify_new_requests text not null default 'immediate'
  check (notify_new_requests in ('immediate', 'digest', 'none'));
alter table users add column digest_sent_at timestamptz;

-- Templates administrators edit; the code holds the defaults, a row overrides them.
create table notification_templates (
  key text primary key,
  subject text not null,
  body text not null,
  updated_at timestamptz not null default now(),
  updated_by int references users(id)
);

-- Each notification goes out once: the key names the event and the recipient.
alter table outbox add column dedupe_key text unique;
alter table outbox add column recipient_id int references users(id);
alter table outbox add column reply_to text;
alter table outbox add column headers jsonb;
create index outbox_request_failed_idx on outbox (request_id) where status = 'failed';

-- Inbound e-mail: every message read is recorded once (by Message-ID), with what became of it.
create table inbound_messages (
  id bigserial primary key,
  message_id text not null unique,
  from_address text,
  subject text,
  channel text not null check (channel in ('smtp', 'imap')),
  outcome text not null check (outcome in ('added', 'refused', 'ignored')),
  reason text,
  request_id bigint references requests(id),
  event_id bigint references request_events(id),
  received_at timestamptz not null default now()
);
create index inbound_messages_received_idx on inbound_messages (received_at desc, id desc);

-- « Réponses types » agents insert into an answer; no application means every application.
create table canned_answers (
  id serial primary key,
  application_id int references applications(id),
  title text not null,
  body text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (application_id, title)
);
