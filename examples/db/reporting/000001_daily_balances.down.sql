SET lock_timeout = '3s';
DROP TABLE IF EXISTS reporting.daily_balances;
