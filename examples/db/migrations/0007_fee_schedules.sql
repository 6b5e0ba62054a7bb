-- Per-merchant pricing. Finance maintains these rows from the admin tool.
SET lock_timeout = '3s';

CREATE TABLE fee_schedules (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  fixed_fee money NOT NULL,
  percentage_fee numeric NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  CONSTRAINT fee_schedules_validity_check CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX fee_schedules_merchant_id_valid_from_idx ON fee_schedules (merchant_id, valid_from);
CREATE INDEX fee_schedules_currency_idx ON fee_schedules (currency);

CREATE TRIGGER fee_schedules_audit
  AFTER INSERT OR UPDATE OR DELETE ON fee_schedules
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();

ALTER TABLE fee_schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE fee_schedules FORCE ROW LEVEL SECURITY;
CREATE POLICY fee_schedules_tenant_isolation ON fee_schedules
  FOR ALL
  USING (merchant_id = current_setting('app.tenant_id')::bigint);
