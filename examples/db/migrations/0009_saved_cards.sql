-- Saved cards for one-click checkout (card data arrives from the hosted fields form).
SET lock_timeout = '3s';

CREATE TABLE payment_cards (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
  card_number text NOT NULL,
  cvv text,
  expiry_month smallint NOT NULL CHECK (expiry_month BETWEEN 1 AND 12),
  expiry_year smallint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_cards_customer_id_idx ON payment_cards (customer_id);

-- Align with the provider's naming before the card vault integration.
ALTER TABLE customers RENAME COLUMN external_ref TO external_id;
