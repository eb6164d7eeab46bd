-- Finding a caller's account (desk: « Nouvelle demande pour un appelant ») by name, identifiant,
-- e-mail or structure, with accents and case folded.
-- unaccent() is only STABLE (its dictionary is looked up at run time), so an index cannot use it;
-- this wrapper names the dictionary, which makes it safe to declare IMMUTABLE.
create or replace function guichet_fold(text) returns text
  language sql immutable parallel safe strict
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

create index users_requester_search_idx on users
  using gin (guichet_fold(first_name || ' ' || last_name || ' ' || login || ' ' || email) gin_trgm_ops)
  where role = 'requester';
create index structures_name_search_idx on structures using gin (guichet_fold(name) gin_trgm_ops);
