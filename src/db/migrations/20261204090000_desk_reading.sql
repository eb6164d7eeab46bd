-- The desk's day: which requests hold information the agent has not read yet, and each agent's
-- saved views of the queue.
--
-- A request remembers when its requester last wrote (a complement, or a refused answer), so
-- « informations ajoutées depuis ma dernière visite » compares two dates per row instead of
-- searching the history of every request in the queue.
alter table requests add column requester_activity_at timestamptz;
update requests r
set requester_activity_at = e.at
from (
  select e.request_id, max(e.created_at) as at
  from request_events e
  join requests q on q.id = e.request_id and e.actor_id = q.requester_id
  where e.kind in ('add_info', 'refuse')
  group by e.request_id
) e
where e.request_id = r.id;

-- When a staff member last opened a request's page.
create table request_reads (
  user_id integer not null references users (id) on delete cascade,
  request_id bigint not null references requests (id) on delete cascade,
  read_at timestamptz not null,
  primary key (user_id, request_id)
);
create index request_reads_request_idx on request_reads (request_id);

-- « Vues enregistrées »: a named set of the queue's filters and order, per person.
create table desk_views (
  id serial primary key,
  user_id integer not null references users (id) on delete cascade,
  name text not null,
  path text not null,
  query text not null,
  created_at timestamptz not null default now()
);
create unique index desk_views_name_idx on desk_views (user_id, lower(name));
