-- The comments' search vector is stored, like the requests' own: the staff search ranks its
-- candidates from it instead of analysing each comment's text again, and can read the newest
-- matches first without analysing every comment on the way.
alter table request_events add column search tsvector
  generated always as (to_tsvector('fr_unaccent', coalesce(body, ''))) stored;
drop index if exists request_events_search_idx;
create index request_events_search_idx on request_events using gin (search) where body is not null;
-- The new column's statistics, so that the planner knows how common each word is from the start.
analyze request_events;
