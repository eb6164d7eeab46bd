-- Initial schema of the portal. Targets PostgreSQL 15 (also run by the embedded PGlite).
create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- French full-text search that folds accents: a copy of `french` whose mapping starts with unaccent.
do $$ begin
  if not exists (select 1 from pg_ts_config where cfgname = 'fr_unaccent') then
    create text search configuration fr_unaccent (copy = french);
    alter text search configuration fr_unaccent
      alter mapping for hword, hword_part, word with unaccent, french_stem;
  end if;
end $$;

create table regions (
  id serial primary key,
  code text not null unique,
  name text not null unique
);

create table structure_natures (
  id serial primary key,
  name text not null unique,
  position int not null default 0
);

create table structure_types (
  id serial primary key,
  name text not null unique,
  position int not null default 0
);

create table structures (
  id serial primary key,
  name text not null,
  region_id int not null references regions(id),
  nature_id int references structure_natures(id),
  type_id int references structure_types(id),
  created_at timestamptz not null default now(),
  unique (name, region_id)
);

create table applications (
  id serial primary key,
  code text not null unique,
  name text not null unique,
  position int not null default 0,
  active boolean not null default true
);

create table themes (
  id serial primary key,
  application_id int not null references applications(id),
  name text not null,
  position int not null default 0,
  active boolean not null default true,
  unique (application_id, name)
);

create table problem_types (
  id serial primary key,
  parent_id int references problem_types(id),
  name text not null,
  position int not null default 0,
  active boolean not null default true
);

create table users (
  id serial primary key,
  login text not null unique,
  email text not null,
  civility text check (civility in ('M.', 'Mme')),
  first_name text not null,
  last_name text not null,
  phone text,
  role text not null check (role in ('requester', 'agent', 'expert', 'admin')),
  requester_kind text check (requester_kind in ('centre', 'direccte')),
  structure_id int references structures(id),
  password_hash text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  last_login_at timestamptz
);
create index users_email_idx on users (lower(email));

-- Applications a person uses (requester) or covers (agent, expert).
create table user_applications (
  user_id int not null references users(id) on delete cascade,
  application_id int not null references applications(id),
  primary key (user_id, application_id)
);

create sequence request_number_seq start with 67100;

create table requests (
  id bigserial primary key,
  number bigint not null unique default nextval('request_number_seq'),
  subject text not null,
  description text not null,
  blocking boolean not null default false,
  application_id int not null references applications(id),
  theme_id int references themes(id),
  problem_type_id int references problem_types(id),
  business_reference text,
  status text not null default 'new'
    check (status in ('new', 'in_progress', 'awaiting_info', 'resolved', 'closed')),
  level smallint not null default 1 check (level in (1, 2)),
  assignee_id int references users(id),
  requester_id int not null references users(id),
  created_by_id int not null references users(id),
  structure_id int references structures(id),
  channel text not null default 'portail' check (channel in ('portail', 'telephone', 'courriel', 'api')),
  submission_token text unique,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index requests_requester_updated_idx on requests (requester_id, updated_at desc, id desc);
create index requests_queue_idx on requests (application_id, status, updated_at desc, id desc);
create index requests_level_idx on requests (level, status, updated_at desc);
create index requests_assignee_idx on requests (assignee_id, updated_at desc) where assignee_id is not null;

create table request_events (
  id bigserial primary key,
  request_id bigint not null references requests(id),
  actor_id int references users(id),
  kind text not null,
  from_status text,
  to_status text,
  body text,
  internal boolean not null default false,
  submission_token text unique,
  created_at timestamptz not null default now()
);
create index request_events_request_idx on request_events (request_id, id);

-- Files: staged under a form token until the form is accepted, then tied to a request (and event).
create table attachments (
  id bigserial primary key,
  request_id bigint references requests(id),
  event_id bigint references request_events(id),
  staging_token text,
  storage_key text not null unique,
  original_name text not null,
  media_type text not null,
  size_bytes bigint not null,
  sha256 text not null,
  uploaded_by int not null references users(id),
  created_at timestamptz not null default now()
);
create index attachments_request_idx on attachments (request_id) where request_id is not null;
create index attachments_staging_idx on attachments (staging_token) where staging_token is not null;

create table sessions (
  sid text primary key,
  user_id int references users(id) on delete cascade,
  data jsonb not null,
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table outbox (
  id bigserial primary key,
  request_id bigint references requests(id),
  kind text not null,
  to_address text not null,
  subject text not null,
  body text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'kept')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
create index outbox_created_idx on outbox (created_at desc, id desc);

create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by int references users(id)
);

create table faq_entries (
  id serial primary key,
  number int not null unique,
  title text not null,
  body text not null default '',
  application_id int references applications(id),
  published boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index faq_entries_search_idx on faq_entries
  using gin (to_tsvector('fr_unaccent', title || ' ' || body));

create table documents (
  id serial primary key,
  title text not null,
  application_id int references applications(id),
  theme_id int references themes(id),
  attachment_storage_key text,
  published boolean not null default true,
  created_at timestamptz not null default now()
);

create table news (
  id serial primary key,
  title text not null,
  body text not null,
  published_on date not null,
  published boolean not null default true,
  created_at timestamptz not null default now()
);

-- "Ressources associées" of a request.
create table request_faq_links (
  request_id bigint not null references requests(id),
  faq_entry_id int not null references faq_entries(id),
  primary key (request_id, faq_entry_id)
);
create table request_document_links (
  request_id bigint not null references requests(id),
  document_id int not null references documents(id),
  primary key (request_id, document_id)
);
create table request_links (
  request_id bigint not null references requests(id),
  linked_request_id bigint not null references requests(id),
  primary key (request_id, linked_request_id),
  check (request_id <> linked_request_id)
);

create table login_throttle (
  key text primary key,
  failures int not null default 0,
  blocked_until timestamptz,
  updated_at timestamptz not null default now()
);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_id int references users(id),
  action text not null,
  target text,
  ip text,
  details jsonb not null default '{}'::jsonb
);
create index audit_log_at_idx on audit_log (at desc);

-- The audit trail is append-only, whoever connects.
create function audit_log_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_immutable();
