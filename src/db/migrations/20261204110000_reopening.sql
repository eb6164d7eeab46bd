-- Reopening: a closed request can be taken up again. Its requester may do so until a delay after
-- the closing (« Paramètres », in working days), fixed when it closes; the desk may at any time.
-- Requests closed before this have no delay set: only the desk reopens them.
alter table requests add column reopenable_until timestamptz;
