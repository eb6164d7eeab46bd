-- A person's staged files (sent with forms not yet recorded) are counted against their allowance.
create index attachments_staged_by_idx on attachments (uploaded_by) where request_id is null;
