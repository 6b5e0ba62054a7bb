-- The capture worker polls pending payments per merchant; index only those rows.
SET lock_timeout = '3s';
CREATE INDEX CONCURRENTLY payments_merchant_id_pending_idx ON payments (merchant_id, created_at) WHERE status = 'pending';
