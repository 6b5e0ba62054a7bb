-- Bank reconciliation matches statement lines on our own payout reference, and the new
-- payout API exposes an opaque id instead of the sequential one. Written the night before
-- the bank integration went live.
ALTER TABLE payouts ADD COLUMN reference text;
UPDATE payouts SET reference = 'PO-' || id;
ALTER TABLE payouts ADD CONSTRAINT payouts_reference_present CHECK (reference IS NOT NULL) NOT VALID;
ALTER TABLE payouts ALTER COLUMN reference SET NOT NULL;
ALTER TABLE payouts ADD CONSTRAINT payouts_reference_key UNIQUE (reference);
ALTER TABLE payouts ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE payouts ADD CONSTRAINT payouts_amount_positive CHECK (amount > 0);
ALTER TABLE wallet_ledger_entries ADD CONSTRAINT wallet_ledger_entries_currency_fk FOREIGN KEY (currency) REFERENCES currencies (code);
