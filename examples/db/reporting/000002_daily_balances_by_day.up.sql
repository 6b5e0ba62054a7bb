-- Month-end reports scan one day across all accounts.
CREATE INDEX CONCURRENTLY daily_balances_day_idx ON reporting.daily_balances (day);
