-- « Pilotage »: the pilote role, and the figures' tables the worker keeps from each request's history.
alter table users drop constraint if exists users_role_check;
alter table users add constraint users_role_check check (role in ('requester', 'agent', 'expert', 'admin', 'pilot'));
-- A pilote who leads the desk also sees its activity per agent.
alter table users add column desk_lead boolean not null default false;
-- The weekly summary e-mail, for the pilotes who ask for it.
alter table users add column pilotage_summary boolean not null default false;
alter table users add column pilotage_summary_sent_at timestamptz;

-- One row per request: its dimensions, dates and durations in working minutes (clock paused while
-- « En attente de complément »), recomputed from its history whenever an event is added.
create table request_facts (
  request_id bigint primary key references requests(id) on delete cascade,
  application_id int not null,
  theme_id int,
  problem_type_id int,
  blocking boolean not null,
  region_id int,
  nature_id int,
  level smallint not null,
  channel text not null check (channel in ('portail', 'telephone', 'courriel', 'api', 'on_behalf')),
  status text not null,
  filed_at timestamptz not null,
  first_response_at timestamptz,
  first_response_minutes int,
  first_response_on_time boolean,
  resolved_at timestamptz,
  resolution_minutes int,
  resolution_on_time boolean,
  closed_at timestamptz,
  escalated boolean not null default false,
  sent_back boolean not null default false,
  complement boolean not null default false,
  refusals smallint not null default 0,
  auto_closed boolean not null default false,
  reopened boolean not null default false,
  satisfaction smallint,
  satisfaction_at timestamptz,
  assignee_id int,
  computed_at timestamptz not null default now()
);
create index request_facts_filed_idx on request_facts (application_id, filed_at);
create index request_facts_resolved_idx on request_facts (application_id, resolved_at) where resolved_at is not null;
create index request_facts_closed_idx on request_facts (application_id, closed_at) where closed_at is not null;
create index request_facts_open_idx on request_facts (application_id, status) where status <> 'closed';
create index request_facts_satisfaction_idx on request_facts (application_id, satisfaction_at) where satisfaction_at is not null;

-- The spans of time a request spent in each status before it was closed: the backlog at any past
-- instant is the spans holding it.
-- The request's dimensions are repeated here (as in its facts) so that a filtered backlog reads the spans alone.
create table request_status_spans (
  request_id bigint not null references requests(id) on delete cascade,
  application_id int not null,
  theme_id int,
  problem_type_id int,
  blocking boolean not null,
  region_id int,
  nature_id int,
  level smallint not null,
  channel text not null,
  status text not null,
  span tstzrange not null
);
create index request_status_spans_request_idx on request_status_spans (request_id);
create index request_status_spans_span_idx on request_status_spans using gist (span);

-- The requests whose facts are to be recomputed: marked in the transaction that adds to their
-- history (so no event is missed, whatever order transactions commit in), taken by the worker.
create table request_facts_pending (
  request_id bigint primary key
);
insert into request_facts_pending (request_id) select id from requests;

-- « Depuis l'ouverture »: the date an application opened to its users (CERES: Thursday 24 January 2019).
alter table applications add column opened_on date;
update applications set opened_on = date '2019-01-24' where code = 'CERES';
