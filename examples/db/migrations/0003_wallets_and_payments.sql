-- Customer wallets (a cached balance per customer and currency, backed by a ledger account)
-- and card payments. Amounts are integer minor units of the row's currency.
SET lock_timeout = '3s';

CREATE TABLE wallets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  balance bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  hold_minor bigint NOT NULL DEFAULT 0 CHECK (hold_minor >= 0 AND hold_minor <= balance),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT wallets_customer_id_currency_key UNIQUE (customer_id, currency)
);
CREATE INDEX wallets_merchant_id_idx ON wallets (merchant_id);
CREATE INDEX wallets_account_id_idx ON wallets (account_id);
CREATE INDEX wallets_currency_idx ON wallets (currency);

CREATE TRIGGER wallets_audit
  AFTER INSERT OR UPDATE OR DELETE ON wallets
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();

ALTER TABLE wallets ENABLE ROW LEVEL SECURITY;
ALTER TABLE wallets FORCE ROW LEVEL SECURITY;
CREATE POLICY wallets_tenant_isolation ON wallets
  USING (merchant_id = (select current_setting('app.tenant_id')::bigint))
  WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));

CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
  idempotency_key text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'authorized', 'captured', 'failed', 'refunded')),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Clients retry on timeouts; the key makes the retry return the first payment.
  CONSTRAINT payments_merchant_id_idempotency_key_key UNIQUE (merchant_id, idempotency_key)
);
CREATE INDEX payments_customer_id_created_at_idx ON payments (customer_id, created_at);
CREATE INDEX payments_currency_idx ON payments (currency);

ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY payments_tenant_isolation ON payments
  USING (merchant_id = (select current_setting('app.tenant_id')::bigint))
  WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));

-- Stored API responses, so a retried request gets the same answer.
CREATE TABLE idempotency_keys (
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  response_status smallint,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, idempotency_key)
);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_tenant_isolation ON idempotency_keys
  USING (merchant_id = (select current_setting('app.tenant_id')::bigint))
  WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));
