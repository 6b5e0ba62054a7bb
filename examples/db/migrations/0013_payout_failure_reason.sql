-- Surface the bank's rejection reason on failed payouts (nullable: older rows have none).
SET lock_timeout = '3s';
ALTER TABLE payouts ADD COLUMN failure_reason text;
