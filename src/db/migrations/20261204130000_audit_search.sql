-- « Journal d’audit » searched by person, action and object, newest first: each filter reads its
-- own index in id order and stops at the page's end, so a page costs the same at a million rows.
-- The target index uses text_pattern_ops so that a type of object (« user:% ») is a prefix range
-- whatever the database's collation.
create index audit_log_actor_id_idx on audit_log (actor_id, id);
create index audit_log_action_id_idx on audit_log (action, id);
create index audit_log_target_id_idx on audit_log (target text_pattern_ops, id);
