-- The finance data team's own schema, migrated with golang-migrate by the reporting job
-- (it does not wrap files in a transaction). Rebuilt nightly from the ledger.
CREATE SCHEMA IF NOT EXISTS reporting;
CREATE TABLE IF NOT EXISTS reporting.daily_balances (
  account_id bigint NOT NULL,
  day date NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  closing_minor bigint NOT NULL,
  PRIMARY KEY (account_id, day)
);
