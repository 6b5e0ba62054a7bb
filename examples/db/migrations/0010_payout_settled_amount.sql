-- Payouts now record the amount the bank actually settled (fees can differ from the
-- scheduled amount). Existing payouts settled in full.
SET lock_timeout = '3s';

ALTER TABLE payouts ADD COLUMN settled_amount numeric(19,4);
UPDATE payouts SET settled_amount = amount;
ALTER TABLE payouts ALTER COLUMN settled_amount SET NOT NULL;
ALTER TABLE payouts DROP COLUMN legacy_reference;
