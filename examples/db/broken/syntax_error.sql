-- Settlement batches from the acquirer (work in progress).
CREATE TABLE settlement_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  acquirer text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE settlement_lines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id bigint NOT NULL REFERENCES settlement_batches (id) ON DELETE RESTRICT,
  gross_amount numeric(19,4) NOT NULL,
  fee_amount numeric(19,4) NOT NULL
  currency text NOT NULL
);

UPDATE wallets SET balance = $1 WHERE id = $2;

SELECT id FROM payouts WHERE created_at BETWEEN '2026-11-01' AND '2026-11-30';

CREATE TABLE settlement_adjustments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  amount double precision NOT NULL,
  booked_at timestamp NOT NULL
);
