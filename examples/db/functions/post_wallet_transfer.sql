-- Wallet-to-wallet transfer (v2): the only writer of P2P journals.
-- Locks both wallets in id order (no deadlock between A->B and B->A), moves money with
-- relative updates guarded by the balance check, and posts a balanced journal.
CREATE OR REPLACE FUNCTION post_wallet_transfer(
  p_from_wallet bigint,
  p_to_wallet bigint,
  p_amount_minor bigint,
  p_memo text
) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  v_from_account bigint;
  v_to_account bigint;
  v_currency text;
  v_journal_id bigint;
BEGIN
  IF p_amount_minor <= 0 THEN
    RAISE EXCEPTION 'transfer amount must be positive, got %', p_amount_minor;
  END IF;

  PERFORM 1
     FROM wallets
    WHERE id IN (p_from_wallet, p_to_wallet)
    ORDER BY id
      FOR NO KEY UPDATE;

  UPDATE wallets
     SET balance = balance - p_amount_minor
   WHERE id = p_from_wallet
     AND balance >= p_amount_minor
  RETURNING account_id, currency INTO v_from_account, v_currency;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insufficient funds in wallet %', p_from_wallet;
  END IF;

  UPDATE wallets
     SET balance = balance + p_amount_minor
   WHERE id = p_to_wallet
     AND currency = v_currency
  RETURNING account_id INTO v_to_account;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'wallet % does not hold %', p_to_wallet, v_currency;
  END IF;

  INSERT INTO journals (memo) VALUES (p_memo) RETURNING id INTO v_journal_id;
  INSERT INTO postings (journal_id, account_id, amount_minor, currency)
  VALUES (v_journal_id, v_from_account, -p_amount_minor, v_currency),
         (v_journal_id, v_to_account, p_amount_minor, v_currency);

  RETURN v_journal_id;
END;
$$;

-- Reconciliation reads per-provider staging tables (staging.adyen_settlements, ...).
-- The table name comes from our provider list, but quote it anyway and bind the value.
CREATE OR REPLACE FUNCTION staged_settlement_total(p_table text, p_batch_id bigint)
RETURNS numeric
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
  v_total numeric;
BEGIN
  EXECUTE format('SELECT coalesce(sum(amount_minor), 0) FROM staging.%I WHERE batch_id = $1', p_table)
     INTO v_total
    USING p_batch_id;
  RETURN v_total;
END;
$$;
