import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionLabel, isEmptyConnection, parseConnectionUrl, urlHasPassword } from '../../client/src/connectionSettings';

test('a label names user, host, port and database but never the password', () => {
  assert.equal(connectionLabel({ url: 'postgres://app:s3cret@db.internal:6543/payments' }), 'app@db.internal:6543/payments');
  assert.equal(connectionLabel({ host: 'localhost', user: 'app', database: 'ledger' }), 'app@localhost:5432/ledger');
  assert.equal(connectionLabel({ database: 'ledger' }), 'localhost:5432/ledger');
  assert.equal(connectionLabel({ url: 'not a url' }), '(invalid database URL)');
});

test('typed URLs with a password are refused', () => {
  assert.ok('problem' in parseConnectionUrl('postgres://app:pw@localhost/db'));
  assert.ok('problem' in parseConnectionUrl('mysql://app@localhost/db'));
  assert.ok('problem' in parseConnectionUrl('localhost:5432'));
  assert.deepEqual(parseConnectionUrl(' postgresql://app@localhost/db '), { settings: { url: 'postgresql://app@localhost/db' } });
  assert.equal(urlHasPassword('postgres://a:b@h/d'), true);
  assert.equal(urlHasPassword('postgres://a@h/d'), false);
});

test('an empty database setting counts as no connection', () => {
  assert.equal(isEmptyConnection(undefined), true);
  assert.equal(isEmptyConnection({}), true);
  assert.equal(isEmptyConnection({ host: 'db' }), false);
});
