DROP INDEX CONCURRENTLY IF EXISTS reporting.daily_balances_day_idx;
