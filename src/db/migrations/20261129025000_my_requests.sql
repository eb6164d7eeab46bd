-- « Mes demandes »: words of the subject (French, accents and plurals folded), and one index per
-- keyset sort (updated, filed, number) for a person's own requests and for their structure's.
create index requests_subject_search_idx on requests using gin (to_tsvector('fr_unaccent', subject));
create index requests_requester_created_idx on requests (requester_id, created_at desc, id desc);
create index requests_requester_number_idx on requests (requester_id, number desc);
create index requests_structure_updated_idx on requests (structure_id, updated_at desc, id desc)
  where structure_id is not null;
create index requests_structure_created_idx on requests (structure_id, created_at desc, id desc)
  where structure_id is not null;
create index requests_structure_number_idx on requests (structure_id, number desc) where structure_id is not null;
