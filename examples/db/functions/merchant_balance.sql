-- Lets the reporting role read a merchant's total wallet balance without SELECT
-- on wallets (wallets has RLS; this runs as the owner).
CREATE OR REPLACE FUNCTION merchant_wallet_total(p_merchant_id bigint, p_currency text)
RETURNS bigint
LANGUAGE sql
STABLE
SECURITY DEFINER
AS $$
  SELECT coalesce(sum(balance), 0)::bigint
    FROM wallets
   WHERE merchant_id = p_merchant_id
     AND currency = p_currency;
$$;

REVOKE EXECUTE ON FUNCTION merchant_wallet_total(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION merchant_wallet_total(bigint, text) TO reporting;
