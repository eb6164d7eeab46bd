-- The desk's « en retard » and « bientôt en retard » filters read the due date of what comes next:
-- the first response while there is none, then the resolution (indexed by request_life).
create index requests_first_response_due_idx on requests (first_response_due_at)
  where first_response_at is null and status in ('new', 'in_progress', 'awaiting_info');
