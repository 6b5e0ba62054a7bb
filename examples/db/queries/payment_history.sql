-- name: PaymentHistoryPage :many
-- Customer payment history, 50 per page.
SELECT id, amount_minor, currency, status, created_at
  FROM payments
 WHERE customer_id = $1
 ORDER BY created_at DESC, id DESC
 LIMIT 50 OFFSET $2;

-- name: PaymentHistoryAfter :many
-- Keyset pagination: the client sends back the (created_at, id) of the last row it saw.
SELECT id, amount_minor, currency, status, created_at
  FROM payments
 WHERE customer_id = $1
   AND (created_at, id) < ($2::timestamptz, $3::bigint)
 ORDER BY created_at DESC, id DESC
 LIMIT 50;
