-- Files sent with a notification (the answer's documents): attachment ids, read from the store at send time.
alter table outbox add column attachment_ids jsonb;
