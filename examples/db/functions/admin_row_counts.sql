-- Admin console "table sizes" widget: exact row count for the table picked in the UI.
CREATE OR REPLACE FUNCTION admin_row_count(tbl text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE 'SELECT count(*) FROM ' || tbl INTO n;
  RETURN n;
END;
$$;
