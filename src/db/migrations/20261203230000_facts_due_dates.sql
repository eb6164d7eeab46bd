-- Pilotage reads its figures from the facts' indexes alone (index-only scans): the facts of one
-- application lie all over the table, and reading them row by row cost seconds over a million
-- requests. Each date index carries the dimensions the filters test, the filing one also what
-- the summary, the breakdowns and the desk's table count.
--
-- « En retard » and « Bientôt en retard » are counted from the facts as well: each fact carries its
-- request's due dates and pause, as the service levels keep them (only open requests are read;
-- closed ones get theirs at their next recomputation). The latest satisfaction comments are found
-- from the facts too, the requests being read for those ten only.
alter table request_facts add column first_response_due_at timestamptz;
alter table request_facts add column resolution_due_at timestamptz;
alter table request_facts add column sla_paused_at timestamptz;
alter table request_facts add column commented boolean not null default false;
update request_facts f
set first_response_due_at = r.first_response_due_at, resolution_due_at = r.resolution_due_at, sla_paused_at = r.sla_paused_at
from requests r
where r.id = f.request_id and f.status <> 'closed';
update request_facts f set commented = true
from requests r
where r.id = f.request_id and f.satisfaction_at is not null and r.satisfaction_comment <> '';

drop index request_facts_filed_idx;
create index request_facts_filed_idx on request_facts (application_id, filed_at)
  include (theme_id, problem_type_id, blocking, region_id, nature_id, level, channel, escalated, sent_back, complement,
    refusals, auto_closed, reopened, first_response_minutes, first_response_on_time, resolution_minutes,
    resolution_on_time, resolved_at, assignee_id);
drop index request_facts_resolved_idx;
create index request_facts_resolved_idx on request_facts (application_id, resolved_at)
  include (theme_id, problem_type_id, blocking, region_id, nature_id, level, channel) where resolved_at is not null;
drop index request_facts_closed_idx;
create index request_facts_closed_idx on request_facts (application_id, closed_at)
  include (theme_id, problem_type_id, blocking, region_id, nature_id, level, channel) where closed_at is not null;
drop index request_facts_satisfaction_idx;
create index request_facts_satisfaction_idx on request_facts (application_id, satisfaction_at)
  include (theme_id, problem_type_id, blocking, region_id, nature_id, level, channel, satisfaction, commented, request_id)
  where satisfaction_at is not null;
drop index request_facts_open_idx;
create index request_facts_open_idx on request_facts (application_id, status)
  include (theme_id, problem_type_id, blocking, region_id, nature_id, level, channel, first_response_at,
    first_response_due_at, resolution_due_at, sla_paused_at)
  where status <> 'closed';

-- The worker takes marked requests together with their request rows: a mark never outlives its request.
delete from request_facts_pending p where not exists (select 1 from requests r where r.id = p.request_id);
alter table request_facts_pending add constraint request_facts_pending_request_fk
  foreign key (request_id) references requests(id) on delete cascade;
