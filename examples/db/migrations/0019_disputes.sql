-- Chargebacks: the card network tells us a cardholder disputes a payment; we have days to
-- answer with evidence. Settlement batches can now fail when the acquirer rejects a file.
SET lock_timeout = '3s';

BEGIN;

ALTER TYPE acquirer_settlement_status ADD VALUE 'failed';

CREATE TABLE dispute_reasons (
  code text PRIMARY KEY,
  description text NOT NULL
);
INSERT INTO dispute_reasons VALUES
  ('fraud', 'Cardholder does not recognise the payment'),
  ('not_received', 'Goods or services not received'),
  ('duplicate', 'Charged twice');

CREATE TABLE disputes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  payment_id bigint NOT NULL REFERENCES payments (id) ON DELETE RESTRICT,
  reason_code text NOT NULL REFERENCES dispute_reasons (code) ON DELETE RESTRICT,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'evidence_submitted', 'won', 'lost')),
  evidence jsonb NOT NULL DEFAULT '{}'::jsonb,
  respond_by timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disputes_merchant_id_created_at_idx ON disputes (merchant_id, created_at);
CREATE INDEX disputes_reason_code_idx ON disputes (reason_code);
CREATE INDEX disputes_currency_idx ON disputes (currency);

CREATE TRIGGER disputes_audit
  AFTER INSERT OR UPDATE OR DELETE ON disputes
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();

ALTER TABLE disputes ENABLE ROW LEVEL SECURITY;
ALTER TABLE disputes FORCE ROW LEVEL SECURITY;
CREATE POLICY disputes_tenant_isolation ON disputes
  USING (merchant_id = (select current_setting('app.tenant_id')::bigint))
  WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));

COMMIT;
