-- Wallet-to-wallet transfer used by the P2P feature (v1).
CREATE OR REPLACE FUNCTION transfer_between_wallets(
  p_from_wallet bigint,
  p_to_wallet bigint,
  p_amount_minor bigint
) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_from_balance bigint;
BEGIN
  SELECT balance INTO v_from_balance
    FROM wallets
   WHERE id = p_from_wallet;

  IF v_from_balance < p_amount_minor THEN
    RAISE EXCEPTION 'insufficient funds in wallet %', p_from_wallet;
  END IF;

  UPDATE wallets SET balance = v_from_balance - p_amount_minor WHERE id = p_from_wallet;
  UPDATE wallets SET balance = balance + p_amount_minor WHERE id = p_to_wallet;

  INSERT INTO wallet_ledger_entries (wallet_id, account_id, amount_minor, currency, kind)
  SELECT w.id, w.account_id,
         CASE WHEN w.id = p_from_wallet THEN -p_amount_minor ELSE p_amount_minor END,
         w.currency, 'p2p_transfer'
    FROM wallets w
   WHERE w.id IN (p_from_wallet, p_to_wallet);
END;
$$;
