-- Double-entry ledger. A journal groups postings that must sum to zero per currency;
-- rows are never changed after commit, corrections are new reversing journals.
SET lock_timeout = '3s';

CREATE TABLE journals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  memo text NOT NULL,
  reverses_journal_id bigint REFERENCES journals (id) ON DELETE RESTRICT,
  posted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journals_reverses_journal_id_idx ON journals (reverses_journal_id);

CREATE TABLE postings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  journal_id bigint NOT NULL REFERENCES journals (id) ON DELETE RESTRICT,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX postings_journal_id_idx ON postings (journal_id);
CREATE INDEX postings_account_id_created_at_idx ON postings (account_id, created_at);
CREATE INDEX postings_currency_idx ON postings (currency);

-- Append-only: row triggers do not fire on TRUNCATE, hence the statement trigger too.
CREATE TRIGGER journals_no_update_delete
  BEFORE UPDATE OR DELETE ON journals
  FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER journals_no_truncate
  BEFORE TRUNCATE ON journals
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER postings_no_update_delete
  BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER postings_no_truncate
  BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
REVOKE UPDATE, DELETE, TRUNCATE ON journals, postings FROM PUBLIC;

-- Checked at COMMIT so a journal can be written one posting at a time.
CREATE FUNCTION assert_journal_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1
      FROM public.postings p
     WHERE p.journal_id = NEW.journal_id
     GROUP BY p.currency
    HAVING sum(p.amount_minor) <> 0
  ) THEN
    RAISE EXCEPTION 'journal % does not balance', NEW.journal_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER postings_journal_balanced
  AFTER INSERT ON postings
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION assert_journal_balanced();
