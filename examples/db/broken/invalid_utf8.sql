-- Imported from the legacy system, owner: Josÿ Nunez

CREATE TABLE legacy_balances (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  balance money NOT NULL
);
