-- Support needs a reason on every refund. Step 1 of 2: a CHECK that new rows must pass,
-- added NOT VALID so it does not scan refunds while holding its lock. Step 2 ships in the
-- next deploy (drizzle-kit runs all pending migrations in one transaction).
SET lock_timeout = '3s';
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_not_null CHECK (reason IS NOT NULL) NOT VALID;
