-- name: SetWalletBalance :exec
-- Called by the wallet service after it computes the new balance.
UPDATE wallets SET balance = $1 WHERE id = $2;

-- name: DebitWallet :one
-- Relative update: concurrent debits serialise on the row lock and cannot overdraw.
UPDATE wallets
   SET balance = balance - $2
 WHERE id = $1
   AND balance >= $2
RETURNING balance;
