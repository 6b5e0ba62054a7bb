import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  fromDrizzleConfig, lookupPgpass, parseConnectionUrl, parseDotenv, redact, resolveConnection,
} from '../../server/src/explain/connection-sources';

test('explicit settings win and take the password from the caller (SecretStorage)', () => {
  const resolved = resolveConnection({
    settings: { host: 'db.internal', port: 6432, database: 'payments', user: 'app', sslmode: 'require' },
    settingsPassword: 's3cret!',
    envFileText: 'DATABASE_URL=postgres://other:pw@elsewhere/db',
  });
  assert.equal(resolved?.source, 'settings');
  assert.equal(resolved?.label, 'app@db.internal:6432/payments');
  assert.equal(resolved?.config.password, 's3cret!');
  assert.equal(resolved?.config.sslmode, 'require');
  assert.ok(!resolved?.label.includes('s3cret'));
});

test('settings url is completed by explicit fields', () => {
  const resolved = resolveConnection({ settings: { url: 'postgresql://app:pw@h1:5433/ledger?sslmode=verify-full', database: 'ledger2' } });
  assert.deepEqual(resolved?.config, { host: 'h1', port: 5433, database: 'ledger2', user: 'app', password: 'pw', sslmode: 'verify-full' });
});

test('.env DATABASE_URL with quotes, export and percent-encoded password', () => {
  const env = parseDotenv('# comment\nexport DATABASE_URL="postgres://app:p%40ss%3Aw@db.internal:5432/payments"\nOTHER=1 # trailing\n');
  assert.equal(env.OTHER, '1');
  const resolved = resolveConnection({ envFileText: 'export DATABASE_URL="postgres://app:p%40ss%3Aw@db.internal:5432/payments"' });
  assert.equal(resolved?.source, '.env');
  assert.equal(resolved?.config.password, 'p@ss:w');
  assert.equal(resolved?.label, 'app@db.internal:5432/payments');
});

test('drizzle.config.ts: literal url, literal object, process.env.NAME looked up in .env', () => {
  const literal = `export default defineConfig({ dialect: 'postgresql', dbCredentials: { url: 'postgres://u:p@h:5432/d' } });`;
  assert.deepEqual(fromDrizzleConfig(literal, {}), { host: 'h', port: 5432, database: 'd', user: 'u', password: 'p', sslmode: undefined });
  const object = `dbCredentials: { host: "db", port: 5439, user: 'app', password: 'pw', database: 'pay', ssl: true }`;
  assert.equal(fromDrizzleConfig(object, {})?.port, 5439);
  assert.equal(fromDrizzleConfig(object, {})?.sslmode, 'require');
  const fromEnv = `dbCredentials: {\n  url: process.env.PAYMENTS_DB_URL!,\n}`;
  const resolved = resolveConnection({ drizzleConfigText: fromEnv, envFileText: 'PAYMENTS_DB_URL=postgres://app:pw@db:5432/pay' });
  assert.equal(resolved?.source, 'drizzle.config.ts');
  assert.equal(resolved?.label, 'app@db:5432/pay');
  const computed = `dbCredentials: { url: buildUrl(process.env) }`;
  assert.equal(fromDrizzleConfig(computed, {}), undefined, 'computed values are never evaluated');
});

test('PG* variables with libpq defaults and .pgpass', () => {
  const resolved = resolveConnection({
    env: { PGHOST: 'db.internal', PGUSER: 'app' },
    pgpassText: '# host:port:db:user:pw\nother:*:*:*:nope\ndb.internal:5432:*:app:from\\:pgpass\n',
  });
  assert.equal(resolved?.source, 'PG* environment');
  assert.equal(resolved?.label, 'app@db.internal:5432/app');
  assert.equal(resolved?.config.password, 'from:pgpass');
  assert.equal(resolveConnection({ env: { HOME: '/root' } }), undefined);
});

test('pgpass: wildcards, escapes, first match wins, localhost matches sockets', () => {
  const text = 'db:5432:payments:app:first\n*:*:*:app:second\nlocalhost:5432:*:*:sock\n';
  assert.equal(lookupPgpass(text, { host: 'db', port: 5432, database: 'payments', user: 'app' }), 'first');
  assert.equal(lookupPgpass(text, { host: 'db', port: 5433, database: 'payments', user: 'app' }), 'second');
  assert.equal(lookupPgpass(text, { host: '/var/run/postgresql', port: 5432, database: 'x', user: 'bob' }), 'sock');
  assert.equal(lookupPgpass('a\\:b:*:*:*:pw\\\\x', { host: 'a:b', port: 1, database: 'd', user: 'u' }), 'pw\\x');
  assert.equal(lookupPgpass('h:*:*:u:pw', { host: 'h', port: 1, database: 'd', user: 'other' }), undefined);
});

test('a malformed URL in one source falls through to the next', () => {
  assert.equal(parseConnectionUrl('mysql://x'), undefined);
  const resolved = resolveConnection({ envFileText: 'DATABASE_URL=postgres://[broken', env: { PGHOST: 'h' } });
  assert.equal(resolved?.source, 'PG* environment');
});

test('redact removes URL passwords, key=value passwords and known secrets', () => {
  const text = 'failed for postgres://app:Hunter2pw@db/x; password=Hunter2pw, also "Hunter2pw" and p%40ss';
  const out = redact(text, ['Hunter2pw', 'p@ss']);
  assert.ok(!out.includes('Hunter2pw'), out);
  assert.ok(!out.includes('p%40ss'), out);
  assert.match(out, /postgres:\/\/app:\*\*\*@db\/x/);
});
