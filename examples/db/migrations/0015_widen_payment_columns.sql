-- The acquirer now accepts 64-character descriptors, payout ids are about to pass 2^31,
-- and finance wants fee percentages stored with four decimals.
SET lock_timeout = '3s';

ALTER TABLE payments ALTER COLUMN statement_descriptor TYPE varchar(64);
ALTER TABLE payouts ALTER COLUMN id TYPE bigint;
ALTER TABLE fee_schedules ALTER COLUMN percentage_fee TYPE numeric(7,4);
