-- Payouts v1: daily settlement of merchant balances to their bank account.
-- Ops wants to see the scheduled run time exactly as the scheduler shows it.

CREATE TABLE payouts (
  id serial PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id),
  amount double precision NOT NULL,
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  bank_account_number text NOT NULL,
  legacy_reference text,
  status text NOT NULL DEFAULT 'scheduled',
  scheduled_at timestamp NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payouts_currency_idx ON payouts (currency);
CREATE INDEX payouts_status_idx ON payouts (status);
