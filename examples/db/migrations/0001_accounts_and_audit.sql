-- Chart of accounts per merchant, plus the audit trail that compliance asked for:
-- every change to a mutable financial table lands in audit_log with the actor.
SET lock_timeout = '3s';

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  operation text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
  old_row jsonb,
  new_row jsonb,
  actor text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The app sets app.actor per transaction (SET LOCAL); fall back to the DB role for psql sessions.
CREATE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.audit_log (table_name, operation, old_row, new_row, actor)
  VALUES (
    TG_TABLE_NAME,
    TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
    coalesce(nullif(current_setting('app.actor', true), ''), current_user)
  );
  RETURN NULL;
END;
$$;

CREATE FUNCTION forbid_mutation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed, post a correcting row instead', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE RESTRICT,
  code text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('asset', 'liability', 'revenue', 'expense')),
  currency text NOT NULL REFERENCES currencies (code) ON DELETE RESTRICT,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accounts_merchant_id_code_key UNIQUE (merchant_id, code)
);
CREATE INDEX accounts_currency_idx ON accounts (currency);

CREATE TRIGGER accounts_audit
  AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_tenant_isolation ON accounts
  USING (merchant_id = (select current_setting('app.tenant_id')::bigint))
  WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));
