// An open file edited in many places must not keep its older versions: a statement's parse entry is
// reused across edits, and when its text was a slice of the file's text V8 kept that whole version of
// the file alive with it, one version per edited statement (a 10,000-statement file in the server:
// 179 MB of heap after 50 edits, 160 with entries holding their own copy). Real parser, in process,
// the steps of the server's check of a big file: split, statements parsed ahead in slices
// (prewarmStatements), then the parse cache an open file keeps (model/file-entry.ts).
import assert from 'node:assert/strict';
import { heapMb } from '../lib/heap';
import { before, describe, it } from 'node:test';
import { generateSqlFile } from '../../bench/lib/generate';
import { DEFAULT_LIMITS, knownTexts, planLint, SLICE_ABOVE_CHARS } from '../../server/src/lsp/lint-scheduler';
import { clearPrewarmed, parseSqlFile, prewarmStatements, StatementCache, type SqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';


describe('parse entries reused across edits', () => {
  before(async () => {
    await initParser();
  });

  /** One check of `text` as document-checks.ts runs it for a file over SLICE_ABOVE_CHARS. */
  async function check(text: string, cache: StatementCache, last: SqlFile | undefined): Promise<SqlFile> {
    const plan = planLint(text, DEFAULT_LIMITS);
    assert.ok(plan.statements, 'the file is big enough to be prewarmed');
    await prewarmStatements(plan.statements, knownTexts(last), () => false);
    const file = parseSqlFile('/w/big.sql', plan.text, cache);
    clearPrewarmed();
    for (const s of file.statements) s.tokens();
    return file;
  }

  it('keep no earlier version of the file', async () => {
    let text = generateSqlFile(3_000);
    assert.ok(text.length > SLICE_ABOVE_CHARS);
    const cache = new StatementCache();
    let file: SqlFile | undefined = await check(text, cache, undefined);
    const start = heapMb();
    const edits = 30;
    for (let k = 0; k < edits; k++) {
      // A space typed into a different statement each time: that statement gets a new entry, the others keep theirs.
      const at = file.statements[(k * 97) % file.statements.length].segment.start + 6;
      text = text.slice(0, at) + ' ' + text.slice(at);
      file = await check(text, cache, file);
      assert.equal(file.text, text);
    }
    const grown = heapMb() - start;
    // `edits` versions kept would be edits * the text's size (V8 stores it with two bytes a character when not all Latin-1).
    const versionMb = (text.length * (/[^\u0000-\u00ff]/.test(text) ? 2 : 1)) / 1048576;
    console.log(`${file.statements.length} statements, ${text.length.toLocaleString('en')} characters: heap +${grown.toFixed(2)} MB after ${edits} edits (one version of the text: ${versionMb.toFixed(2)} MB)`);
    assert.ok(grown < versionMb * 5, `after ${edits} edits in different statements the heap grew by ${grown.toFixed(1)} MB: about ${(grown / versionMb).toFixed(0)} versions of the ${versionMb.toFixed(2)} MB text are kept`);
    file = undefined;
  });
});
