-- Support runbook queries (run by on-call from the admin console).

-- name: ExpireStalePayouts :exec
UPDATE payouts SET status = 'expired';

-- name: FixWalletEntryAmount :exec
-- Ticket SUP-2207: a top-up was recorded with the wrong amount.
UPDATE wallet_ledger_entries SET amount_minor = $2 WHERE id = $1;
