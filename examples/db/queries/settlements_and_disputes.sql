-- name: AcquirerSettlementsPage :many
-- The merchant portal's settlement history, newest first, 50 per page.
SELECT id, business_date, currency, status, gross_minor, fee_minor
  FROM acquirer_settlements
 WHERE merchant_id = $1
 ORDER BY business_date DESC, id DESC
 LIMIT 50 OFFSET $2;

-- name: OpenDisputesDueSoon :many
-- The disputes team's queue: open disputes by deadline.
SELECT id, payment_id, reason_code, amount_minor, currency, respond_by
  FROM disputes
 WHERE status = 'open'
   AND respond_by < now() + interval '3 days'
 ORDER BY respond_by;

-- name: DisputesWithEvidenceFrom :many
-- Disputes whose evidence includes a given document type (e.g. a delivery receipt).
SELECT id, payment_id, evidence
  FROM disputes
 WHERE merchant_id = $1
   AND evidence @> jsonb_build_object('documents', jsonb_build_array(jsonb_build_object('type', $2::text)));

-- name: DisputeForReview :one
SELECT * FROM disputes WHERE id = $1;
