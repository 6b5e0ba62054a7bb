-- Interest accrual snapshots (saved by an editor that adds a byte order mark).
CREATE TABLE interest_accruals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  interest real NOT NULL,
  accrued_on date NOT NULL
);
CREATE INDEX interest_accruals_account_id_idx ON interest_accruals (account_id);
