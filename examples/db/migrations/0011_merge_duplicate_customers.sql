-- One-off: merge customers imported twice by the March CSV import (ticket OPS-4411).
-- Only one deploy may run this at a time.
SELECT pg_advisory_lock(4411);

UPDATE wallets w
   SET customer_id = d.keep_id
  FROM (
    SELECT min(id) OVER (PARTITION BY merchant_id, lower(email)) AS keep_id, id AS drop_id
      FROM customers
  ) d
 WHERE w.customer_id = d.drop_id
   AND d.keep_id <> d.drop_id;

SELECT pg_advisory_unlock(4411);
