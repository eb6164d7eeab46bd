-- The backlog at an instant is looked up within the person's applications: the spans are indexed
-- by application and period together, and the index carries the status and the dimensions, so a
-- backlog is counted from the index alone (an index-only scan), whatever the filters.
create extension if not exists btree_gist;
drop index request_status_spans_span_idx;
create index request_status_spans_application_span_idx on request_status_spans using gist (application_id, span)
  include (status, theme_id, problem_type_id, blocking, region_id, nature_id, level, channel);
