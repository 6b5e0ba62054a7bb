-- name: PendingPaymentsForMerchant :many
SELECT id, amount_minor, currency, created_at
  FROM payments
 WHERE merchant_id = $1
   AND status = 'pending'
 ORDER BY created_at
 LIMIT 100;

-- name: PaymentsByCheckoutChannel :many
-- metadata is written by the checkout SDK, e.g. {"channel": "ios", "sdk": "4.2.0"}.
SELECT id, amount_minor, currency, status
  FROM payments
 WHERE merchant_id = $1
   AND metadata @> $2::jsonb
 ORDER BY id DESC
 LIMIT 100;
