-- Card settlement files from the acquirer: one batch per merchant, currency and business day.
SET lock_timeout = '3s';

CREATE TYPE acquirer_settlement_status AS ENUM ('open', 'submitted', 'settled');

CREATE TABLE acquirer_settlements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  currency char(3) NOT NULL,
  business_date date NOT NULL,
  status acquirer_settlement_status NOT NULL DEFAULT 'open',
  gross_minor bigint NOT NULL DEFAULT 0 CHECK (gross_minor >= 0),
  fee_minor bigint NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
  -- The acquirer's own batch reference, named as in their file format.
  "acquirerBatchRef" text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT acquirer_settlements_merchant_id_currency_business_date_key UNIQUE (merchant_id, currency, business_date)
);

CREATE TRIGGER acquirer_settlements_audit
  AFTER INSERT OR UPDATE OR DELETE ON acquirer_settlements
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();

ALTER TABLE acquirer_settlements ENABLE ROW LEVEL SECURITY;
ALTER TABLE acquirer_settlements FORCE ROW LEVEL SECURITY;
CREATE POLICY acquirer_settlements_tenant_isolation ON acquirer_settlements
  USING (merchant_id = (select current_setting('app.tenant_id')::bigint))
  WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));

-- The descriptor printed on the cardholder's statement (the card networks allow 22 characters).
ALTER TABLE payments ADD COLUMN statement_descriptor varchar(22);
