-- Chargebacks received from the card schemes (exported from a Windows tool).
CREATE TABLE chargebacks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id bigint NOT NULL REFERENCES payments (id) ON DELETE RESTRICT,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  disputed_at timestamp NOT NULL
);
CREATE INDEX chargebacks_payment_id_idx ON chargebacks (payment_id);

SELECT id, amount_minor FROM chargebacks WHERE disputed_at BETWEEN '2026-11-01' AND '2026-11-30';
