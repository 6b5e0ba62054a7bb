// How the `ledgerlint` command is split and started (scripts/build.mjs, server/src/cli/launch.ts):
// the TypeScript compiler bundle loads only for TypeScript files, and the V8 code cache is used,
// replaced when the bundle changes, and never in the way when it cannot be written or trusted.
// Each case runs a copy of the built CLI files, so the copy can be changed or trimmed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run as runInProcess } from '../../server/src/cli/main';
import { codeCacheFile, nameHash } from '../../server/src/cli/code-cache';

const DIST = path.resolve(__dirname, '../../../dist');
const CLI_FILES = ['cli.js', 'cli-main.js', 'cli-worker.js', 'cli-typescript.js', 'libpg-query.wasm', 'bundle-digests.json'];

function copyCli(into: string, skip: readonly string[] = []): string {
  fs.mkdirSync(into, { recursive: true });
  for (const f of CLI_FILES) if (!skip.includes(f)) fs.copyFileSync(path.join(DIST, f), path.join(into, f));
  return path.join(into, 'cli.js');
}

function run(cli: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, 'check', ...args, '--format', 'json'], {
    encoding: 'utf8',
    // Copies in temporary folders keep their code caches there too, not in the user's cache folder.
    env: { ...process.env, NO_COLOR: '1', LEDGERLINT_WORKERS: '0', LEDGERLINT_CODE_CACHE: path.join(path.dirname(cli), 'code-cache'), ...env },
  });
  const outcome = /ledgerlint: code cache (\w+)/.exec(r.stderr)?.[1];
  return { code: r.status, json: r.stdout, stderr: r.stderr, outcome };
}

describe('CLI bundles and code cache', () => {
  let tmp: string;
  let sqlRoot: string;
  let tsRoot: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-bundles-'));
    sqlRoot = path.join(tmp, 'sql');
    fs.mkdirSync(path.join(sqlRoot, 'migrations'), { recursive: true });
    fs.writeFileSync(path.join(sqlRoot, 'migrations', '0001_init.sql'), 'CREATE TABLE payments (id bigint PRIMARY KEY, amount real NOT NULL);\n');
    tsRoot = path.join(tmp, 'ts');
    fs.mkdirSync(tsRoot);
    fs.writeFileSync(
      path.join(tsRoot, 'schema.ts'),
      "import { pgTable, bigint, real } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', { id: bigint('id', { mode: 'number' }).primaryKey(), amount: real('amount').notNull() });\n",
    );
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the TypeScript compiler out of the main bundle', () => {
    const main = fs.readFileSync(path.join(DIST, 'cli-main.js'), 'utf8');
    assert.ok(main.length < 3_000_000, `cli-main.js is ${main.length} bytes`);
    assert.match(main, /require\("\.\/cli-typescript\.js"\)/);
    assert.ok(fs.statSync(path.join(DIST, 'cli-typescript.js')).size > 1_000_000);
  });

  it('checks a SQL-only folder without the TypeScript bundle, and needs it for TypeScript files', () => {
    const full = copyCli(path.join(tmp, 'full'));
    const trimmed = copyCli(path.join(tmp, 'no-ts'), ['cli-typescript.js']);
    const expected = run(full, [sqlRoot]);
    assert.equal(expected.code, 1, expected.stderr);
    assert.match(expected.json, /money-float-type/);
    const withoutTs = run(trimmed, [sqlRoot]);
    assert.equal(withoutTs.code, expected.code, withoutTs.stderr);
    assert.equal(withoutTs.json, expected.json);

    const tsExpected = run(full, [tsRoot]);
    assert.equal(tsExpected.code, 1, tsExpected.stderr);
    assert.match(tsExpected.json, /payments\.amount stores money as real/);
    const tsWithout = run(trimmed, [tsRoot]);
    assert.equal(tsWithout.code, 2);
    assert.match(tsWithout.stderr, /cli-typescript\.js/);
  });

  it('writes SARIF for a SQL-only folder without the TypeScript bundle, with every rule the sources describe', async () => {
    const trimmed = copyCli(path.join(tmp, 'sarif-no-ts'), ['cli-typescript.js']);
    const r = spawnSync(process.execPath, [trimmed, 'check', sqlRoot, '--format', 'sarif'], {
      encoding: 'utf8',
      env: { ...process.env, LEDGERLINT_WORKERS: '0', LEDGERLINT_CODE_CACHE: 'off' },
    });
    assert.equal(r.status, 1, r.stderr);
    // From out/, the rule list comes from ruleDescriptors() itself (the Drizzle checks' metas included).
    let expected = '';
    assert.equal(await runInProcess([sqlRoot, '--format', 'sarif'], (s) => (expected += s)), 1);
    assert.equal(r.stdout, expected);
    const ids = (JSON.parse(r.stdout).runs[0].tool.driver.rules as Array<{ id: string }>).map((x) => x.id);
    assert.ok(ids.includes('drizzle-money-js-number'), 'the Drizzle-only rule ids are listed');
  });

  it('does not load the parser on a warm --cache run over unchanged files', () => {
    const full = copyCli(path.join(tmp, 'warm-full'));
    const noParser = copyCli(path.join(tmp, 'warm-no-parser'), ['libpg-query.wasm']);
    const cacheFile = path.join(tmp, 'warm.cache');
    const root = path.join(tmp, 'warm');
    fs.cpSync(sqlRoot, root, { recursive: true });
    const cold = run(full, [root, '--cache', '--cache-location', cacheFile]);
    assert.equal(cold.code, 1, cold.stderr);
    const warm = run(noParser, [root, '--cache', '--cache-location', cacheFile]);
    assert.equal(warm.code, 1, warm.stderr);
    assert.equal(warm.json, cold.json);
    // The same copy needs the parser as soon as a file changed.
    fs.appendFileSync(path.join(root, 'migrations', '0001_init.sql'), 'SELECT 1;\n');
    const changed = run(noParser, [root, '--cache', '--cache-location', cacheFile]);
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /libpg-query\.wasm/);
    // ...and when the bundle changed (its recorded digest no longer names it), although no file did.
    assert.equal(run(full, [root, '--cache', '--cache-location', cacheFile]).code, 1);
    assert.equal(run(noParser, [root, '--cache', '--cache-location', cacheFile]).code, 1);
    fs.appendFileSync(path.join(path.dirname(noParser), 'cli-main.js'), '\n// rebuilt\n');
    const rebuilt = run(noParser, [root, '--cache', '--cache-location', cacheFile]);
    assert.equal(rebuilt.code, 2);
    assert.match(rebuilt.stderr, /libpg-query\.wasm/);
  });

  it('checks without loading node:crypto (OpenSSL) unless --cache asks for hashes', () => {
    const cli = copyCli(path.join(tmp, 'no-crypto'));
    // Reports each request for node:crypto, whoever makes it (the launcher, a bundle).
    const hook = path.join(tmp, 'crypto-hook.js');
    fs.writeFileSync(hook, "const M = require('module');\nconst load = M._load;\nM._load = function (request, ...rest) {\n  if (/^(node:)?crypto$/.test(request)) process.stderr.write('crypto requested\\n');\n  return load.call(this, request, ...rest);\n};\n");
    const check = (extra: string[]) =>
      spawnSync(process.execPath, ['-r', hook, cli, 'check', sqlRoot, '--format', 'json', ...extra], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', LEDGERLINT_WORKERS: '0', LEDGERLINT_CODE_CACHE: path.join(tmp, 'no-crypto-cache'), LEDGERLINT_DEBUG_CODE_CACHE: '1' },
      });
    const miss = check([]);
    const hit = check([]);
    assert.match(miss.stderr, /code cache miss/);
    assert.match(hit.stderr, /code cache hit/);
    for (const r of [miss, hit]) {
      assert.equal(r.status, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /crypto requested/);
    }
    assert.equal(hit.stdout, miss.stdout);
    // The hook does see it: --cache hashes files and the engine.
    const cached = check(['--cache', '--cache-location', path.join(tmp, 'no-crypto.ledgerlintcache')]);
    assert.match(cached.stderr, /crypto requested/);
    assert.equal(cached.stdout, miss.stdout);
  });

  it('names code caches by short hashes that differ with the bundle path and identity', () => {
    const names = new Set<string>();
    for (let i = 0; i < 2000; i++) names.add(nameHash(`/opt/ledgerlint/dist/cli-main.js:${i}`, 8));
    assert.equal(names.size, 2000);
    assert.match(nameHash('', 20), /^[0-9a-f]{20}$/);
    assert.notEqual(nameHash('a', 20), nameHash('b', 20));
    assert.equal(nameHash('same', 20), nameHash('same', 20));
    const dir = path.join(tmp, 'names');
    assert.notEqual(codeCacheFile(dir, '/a/cli-main.js', 'x'), codeCacheFile(dir, '/b/cli-main.js', 'x'));
    assert.notEqual(codeCacheFile(dir, '/a/cli-main.js', 'x'), codeCacheFile(dir, '/a/cli-main.js', 'y'));
    assert.match(path.basename(codeCacheFile(dir, '/a/cli-main.js', 'x')), /^cli-main-[0-9a-f]{8}-[0-9a-f]{20}\.v8cache$/);
  });

  it('reuses the code cache, and replaces it when the bundle changes', () => {
    const cli = copyCli(path.join(tmp, 'cached'));
    const cacheDir = path.join(tmp, 'code-cache');
    const env = { LEDGERLINT_CODE_CACHE: cacheDir, LEDGERLINT_DEBUG_CODE_CACHE: '1' };
    const first = run(cli, [sqlRoot], env);
    assert.equal(first.outcome, 'miss', first.stderr);
    const files = () => fs.readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache'));
    assert.equal(files().length, 1);
    const firstFile = files()[0];
    const second = run(cli, [sqlRoot], env);
    assert.equal(second.outcome, 'hit', second.stderr);
    assert.equal(second.json, first.json);

    // A rebuilt bundle has another key: its cache replaces the old one, which is never read.
    fs.appendFileSync(path.join(path.dirname(cli), 'cli-main.js'), '\n// rebuilt\n');
    const rebuilt = run(cli, [sqlRoot], env);
    assert.equal(rebuilt.outcome, 'miss', rebuilt.stderr);
    assert.equal(rebuilt.json, first.json);
    assert.equal(files().length, 1);
    assert.notEqual(files()[0], firstFile);
    assert.equal(run(cli, [sqlRoot], env).outcome, 'hit');

    // Damaged cache data is rejected by V8 and rewritten.
    fs.writeFileSync(path.join(cacheDir, files()[0]), Buffer.alloc(4096, 7));
    const damaged = run(cli, [sqlRoot], env);
    assert.equal(damaged.outcome, 'rejected', damaged.stderr);
    assert.equal(damaged.json, first.json);
    assert.equal(run(cli, [sqlRoot], env).outcome, 'hit');

    // A directory others can write to is not trusted: its cache is never read.
    fs.chmodSync(cacheDir, 0o777);
    const shared = run(cli, [sqlRoot], env);
    assert.equal(shared.outcome, 'miss', shared.stderr);
    assert.equal(shared.json, first.json);
  });

  it('caches the TypeScript bundle when, and only when, a run loads it', () => {
    const cli = copyCli(path.join(tmp, 'cached-ts'));
    const cacheDir = path.join(tmp, 'code-cache-ts');
    const env = { LEDGERLINT_CODE_CACHE: cacheDir };
    const tsCaches = () => fs.readdirSync(cacheDir).filter((f) => f.startsWith('cli-typescript-'));
    run(cli, [sqlRoot], env);
    assert.deepEqual(tsCaches(), []);
    const first = run(cli, [tsRoot], env);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(tsCaches().length, 1);
    const written = fs.statSync(path.join(cacheDir, tsCaches()[0]));
    assert.ok(written.size > 100_000, `TypeScript code cache of ${written.size} bytes`);
    const second = run(cli, [tsRoot], env);
    assert.equal(second.json, first.json);
    // A hit leaves the file alone; a miss or a rejection would replace it (a rename: a new inode).
    assert.equal(fs.statSync(path.join(cacheDir, tsCaches()[0])).ino, written.ino);
  });

  it('exits with its usual code, without a stack trace, when the reader of its output goes away', () => {
    const cli = copyCli(path.join(tmp, 'pipe'));
    const root = path.join(tmp, 'pipe-root');
    fs.mkdirSync(root);
    // Far more output than a pipe holds, so writes go on after `head` has exited.
    for (let i = 0; i < 150; i++) fs.writeFileSync(path.join(root, `${String(i).padStart(3, '0')}.sql`), `CREATE TABLE payments_${i} (id bigint PRIMARY KEY, amount real NOT NULL, created_at timestamp);\n`);
    const r = spawnSync('bash', ['-c', '"$0" "$1" check "$2" | head -c 100 > /dev/null; echo "${PIPESTATUS[0]}"', process.execPath, cli, root], {
      encoding: 'utf8',
      env: { ...process.env, LEDGERLINT_CODE_CACHE: 'off' },
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), '1');
  });

  it('runs normally when the code cache cannot be written', () => {
    const cli = copyCli(path.join(tmp, 'unwritable'));
    // A directory below a regular file can never be created, not even by root.
    const blocker = path.join(tmp, 'not-a-directory');
    fs.writeFileSync(blocker, 'x');
    const env = { LEDGERLINT_CODE_CACHE: path.join(blocker, 'cache'), LEDGERLINT_DEBUG_CODE_CACHE: '1' };
    const plain = run(cli, [sqlRoot], { LEDGERLINT_CODE_CACHE: 'off' });
    for (let i = 0; i < 2; i++) {
      const r = run(cli, [sqlRoot], env);
      assert.equal(r.code, plain.code, r.stderr);
      assert.equal(r.json, plain.json);
      assert.equal(r.outcome, 'miss');
      assert.equal(r.stderr, 'ledgerlint: code cache miss\n');
    }
  });
});
