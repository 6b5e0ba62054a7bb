-- The payouts dashboard filters by merchant; build the index without blocking writes.
SET lock_timeout = '3s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS payouts_merchant_id_idx ON payouts (merchant_id);
