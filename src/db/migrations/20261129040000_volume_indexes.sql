-- Indexes the pages and jobs need once the tables hold years of requests (measured with 200,000
-- requests by test/query-plans.test.ts: without them, each query below read its whole table).

-- « Mes demandes » and the requester's home: a request is a person's own when they filed it for
-- someone else too (requester_id = me or created_by_id = me); with both columns indexed, the two
-- sets are read from their indexes and merged. The filing date beside it keeps a period filter
-- (« du … au … ») on the index: without it, the planner walked the newest updates of everyone
-- back to the period.
create index if not exists requests_created_by_idx on requests (created_by_id, created_at);

-- The desk's queue of an agent covering several applications: newest update first, read in that
-- order and stopped at the end of the page (the other filters are checked on the way).
create index if not exists requests_updated_idx on requests (updated_at desc, id desc);

-- The queue filtered by status, for the same agents.
create index if not exists requests_status_updated_idx on requests (status, updated_at desc, id desc);

-- « Sans gestionnaire »: few requests, in the queue's order.
create index if not exists requests_unassigned_idx on requests (updated_at desc, id desc) where assignee_id is null;

-- Staff among the users: colleagues to assign to, recipients of new-request notices and digests.
create index if not exists users_staff_idx on users (role) where role <> 'requester';

-- The FAQ: the latest answers on the home page, the answers of one application, and the draft
-- written from a request (shown on that request's page).
create index if not exists faq_entries_latest_idx on faq_entries (published_at desc nulls last, number desc);
create index if not exists faq_entries_application_idx on faq_entries (application_id);
create index if not exists faq_entries_source_request_idx on faq_entries (source_request_id)
  where source_request_id is not null;

-- Housekeeping: files staged by a form that was never sent.
create index if not exists attachments_abandoned_idx on attachments (created_at) where request_id is null;
