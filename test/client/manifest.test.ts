/**
 * package.json declares the settings and commands; the server and client implement them. These
 * checks catch the two drifting apart (a default that changes behaviour, a command with no handler).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_VOCABULARY, resolveVocabulary } from '../../server/src/engine/vocabulary';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/lsp/settings';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const properties: Record<string, { default?: unknown }> = manifest.contributes.configuration.properties;

/** What `getConfiguration('ledgerlint')` returns with no user settings: dotted keys nest. */
function defaultSection(): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties)) {
    const parts = key.split('.').slice(1);
    let target = section;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = schema.default;
  }
  return section;
}

test('the declared setting defaults mean the same as the server defaults', () => {
  const settings = normalizeSettings(defaultSection());
  const { database: _database, ...rest } = settings;
  assert.deepEqual(rest, { ...DEFAULT_SETTINGS, vocabulary: rest.vocabulary });
  // An empty array would replace the built-in words and silence every money/tenant rule.
  assert.deepEqual(resolveVocabulary(settings.vocabulary as Parameters<typeof resolveVocabulary>[0]), DEFAULT_VOCABULARY);
});

test('every setting lives under ledgerlint.* and has a default', () => {
  for (const [key, schema] of Object.entries(properties)) {
    assert.match(key, /^ledgerlint\./);
    assert.ok('default' in schema, `${key} has no default`);
  }
});

test('every contributed command has a handler in the client', () => {
  const source = fs.readFileSync(path.join(root, 'client', 'src', 'commands.ts'), 'utf8');
  for (const { command } of manifest.contributes.commands as Array<{ command: string }>) {
    assert.ok(source.includes(`register('${command}'`), `${command} is contributed but not registered`);
  }
});

test('no setting can hold a database password', () => {
  const database = properties['ledgerlint.database'] as { properties: Record<string, unknown>; additionalProperties: boolean };
  assert.equal(database.additionalProperties, false);
  assert.ok(!('password' in database.properties));
});
