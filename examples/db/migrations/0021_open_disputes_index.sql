-- The evidence worker polls open disputes due soonest; index only those rows.
SET lock_timeout = '3s';
CREATE INDEX CONCURRENTLY disputes_respond_by_open_idx ON disputes (respond_by) WHERE status = 'open';
