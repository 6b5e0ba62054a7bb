-- Step 2 of 2: VALIDATE scans refunds while reads and writes continue; with the validated
-- CHECK in place SET NOT NULL skips its own scan (PostgreSQL 12+), and the CHECK can go.
SET lock_timeout = '3s';
ALTER TABLE refunds VALIDATE CONSTRAINT refunds_reason_not_null;
ALTER TABLE refunds ALTER COLUMN reason SET NOT NULL;
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_not_null;
