-- name: CapturedPaymentsWithoutPosting :many
-- Captured payments with no refund yet (refund eligibility report).
SELECT p.id, p.merchant_id, p.amount_minor, p.currency
  FROM payments p
 WHERE p.status = 'captured'
   AND p.id NOT IN (SELECT r.payment_id FROM refunds r);

-- name: MonthlyPaymentVolume :one
SELECT currency, sum(amount_minor) AS volume_minor
  FROM payments
 WHERE merchant_id = $1
   AND created_at BETWEEN '2026-10-01' AND '2026-10-31'
 GROUP BY currency;

-- name: MonthlyPaymentVolumeHalfOpen :one
SELECT currency, sum(amount_minor) AS volume_minor
  FROM payments
 WHERE merchant_id = $1
   AND created_at >= $2::timestamptz
   AND created_at < $3::timestamptz
 GROUP BY currency;
