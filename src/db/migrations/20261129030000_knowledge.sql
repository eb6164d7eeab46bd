-- Knowledge: audiences, versions of documents, FAQ entries with themes and related documents,
-- news with a publication window, editors, French full-text search, suggestions before filing.

-- Who may read an item: anyone ('public'), signed-in people ('users'), staff only ('agents').
alter table faq_entries add column theme_id int references themes(id);
alter table faq_entries add column audience text not null default 'users' check (audience in ('public', 'users', 'agents'));
alter table faq_entries add column published_at timestamptz;
alter table faq_entries add column updated_by int references users(id);
-- A draft written from a treated request, for an editor to finish.
alter table faq_entries add column source_request_id bigint references requests(id);
update faq_entries set published_at = created_at where published;
drop index if exists faq_entries_search_idx;
alter table faq_entries add column search tsvector generated always as (
  setweight(to_tsvector('fr_unaccent', title), 'A') || setweight(to_tsvector('fr_unaccent', body), 'B')
) stored;
create index faq_entries_search_idx on faq_entries using gin (search);

create table faq_documents (
  faq_entry_id int not null references faq_entries(id) on delete cascade,
  document_id int not null references documents(id) on delete cascade,
  primary key (faq_entry_id, document_id)
);

alter table documents add column summary text not null default '';
alter table documents add column audience text not null default 'users' check (audience in ('public', 'users', 'agents'));
alter table documents add column published_at timestamptz;
alter table documents add column updated_at timestamptz not null default now();
alter table documents add column updated_by int references users(id);
-- Text of the current version's file (PDF text extracted by the worker), for the search.
alter table documents add column file_text text not null default '';
update documents set published_at = created_at where published;
alter table documents add column search tsvector generated always as (
  setweight(to_tsvector('fr_unaccent', title), 'A') || setweight(to_tsvector('fr_unaccent', summary), 'B')
  || setweight(to_tsvector('fr_unaccent', left(file_text, 500000)), 'C')
) stored;
create index documents_search_idx on documents using gin (search);
create index documents_browse_idx on documents (application_id, theme_id, title);

-- Every file a document had: a new file keeps the old versions readable.
create table document_versions (
  id serial primary key,
  document_id int not null references documents(id) on delete cascade,
  version int not null,
  storage_key text not null unique,
  original_name text not null,
  media_type text not null,
  size_bytes bigint not null,
  sha256 text not null,
  -- Text extraction by the worker: pending → done | failed | none (not a PDF).
  text_status text not null default 'pending' check (text_status in ('pending', 'done', 'failed', 'none')),
  text_error text,
  uploaded_by int references users(id),
  created_at timestamptz not null default now(),
  unique (document_id, version)
);
create index document_versions_pending_idx on document_versions (id) where text_status = 'pending';

alter table news add column starts_at timestamptz;
alter table news add column ends_at timestamptz;
alter table news add column audience text not null default 'users' check (audience in ('public', 'users', 'agents'));
alter table news add column updated_at timestamptz not null default now();
alter table news add column updated_by int references users(id);
update news set starts_at = published_on::timestamptz where starts_at is null;

-- Appointed editors of the knowledge base (administrators always are).
alter table users add column knowledge_editor boolean not null default false;

-- « Ressources associées »: who attached them, and when.
alter table request_faq_links add column created_by int references users(id);
alter table request_faq_links add column created_at timestamptz not null default now();
alter table request_document_links add column created_by int references users(id);
alter table request_document_links add column created_at timestamptz not null default now();

-- Agents' search of requests: subject and description, and the comments of the history.
alter table requests add column search tsvector generated always as (
  setweight(to_tsvector('fr_unaccent', subject), 'A') || setweight(to_tsvector('fr_unaccent', description), 'B')
) stored;
create index requests_search_idx on requests using gin (search);
create index request_events_search_idx on request_events
  using gin (to_tsvector('fr_unaccent', coalesce(body, ''))) where body is not null;

-- Suggestions before filing: what was shown, what was opened, and whether a request followed.
create table knowledge_suggestions (
  id bigserial primary key,
  form_token text not null,
  user_id int references users(id),
  kind text not null check (kind in ('shown', 'opened', 'filed')),
  item_type text check (item_type in ('faq', 'document')),
  item_id int,
  query text,
  application_id int references applications(id),
  request_id bigint references requests(id),
  created_at timestamptz not null default now()
);
create index knowledge_suggestions_token_idx on knowledge_suggestions (form_token);
create index knowledge_suggestions_created_idx on knowledge_suggestions (created_at);
