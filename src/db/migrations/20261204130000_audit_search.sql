-- « Journal d’audit » searched by person, action, object and period, newest first: pages follow
-- (at, id), and each filter has an index in that order, so that a filter and a period together are
-- one range of one index, and a page costs the same at a million lines as at a thousand.
-- The target index uses text_pattern_ops so that a type of object (« user:% ») is a prefix range
-- whatever the database's collation.
drop index audit_log_at_idx;
create index audit_log_at_id_idx on audit_log (at, id);
create index audit_log_actor_at_idx on audit_log (actor_id, at, id);
create index audit_log_action_at_idx on audit_log (action, at, id);
create index audit_log_target_at_idx on audit_log (target text_pattern_ops, at, id);

-- The person filter: words of a name, identifiant or e-mail, accents and case folded, matched on
-- every account (staff included, unlike users_requester_search_idx), through trigrams.
create index users_audit_person_idx on users
  using gin (guichet_fold(first_name || ' ' || last_name || ' ' || login || ' ' || email) gin_trgm_ops);
