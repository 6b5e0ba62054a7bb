-- name: LockWalletsForTransfer :many
SELECT id, balance, currency
  FROM wallets
 WHERE id IN ($1, $2)
   FOR UPDATE;

-- name: LockWalletsForBatch :many
-- Same lock for the batch payout job, in key order so two batches cannot deadlock.
SELECT id, balance, currency
  FROM wallets
 WHERE id = ANY($1::bigint[])
 ORDER BY id
   FOR NO KEY UPDATE;
