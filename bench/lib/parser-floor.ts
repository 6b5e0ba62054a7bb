// The floor under a cold `ledgerlint check`: node's start, loading libpg-query's WebAssembly, then
// splitting, parsing and tokenising every statement of every .sql file under a folder, nothing else
// (no schema, no rules, no report). Run as a child by squawk.bench.ts, which times it like the CLI:
// what is left between this and the CLI is Ledgerlint's own work. It parses the way the CLI does
// (the same V8 flags, the same WebAssembly glue, statement by statement, the CLI's tokeniser),
// so the figure is what the parser costs the CLI, not a naive use of the package.
// Usage: node parser-floor.js <folder>; prints the number of statements, tokens and parse errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBatchTiering } from '../../server/src/cli/v8-tiering';
import { initParser, parseText, useDirectParserGlue } from '../../server/src/sql/parser';
import { splitSqlFrom } from '../../server/src/sql/splitter';
import { scanTokens } from '../../server/src/sql/tokens';
import { utf8ByteToUtf16 } from '../../server/src/sql/offsets';

function sqlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sqlFiles(full, out);
    else if (entry.name.endsWith('.sql')) out.push(full);
  }
  return out;
}

async function main(): Promise<void> {
  useBatchTiering(); // before the parser's WebAssembly is compiled (initParser), as the CLI's launcher does
  useDirectParserGlue();
  const loading = initParser();
  const files = sqlFiles(process.argv[2]).sort();
  await loading;
  let statements = 0;
  let tokens = 0;
  let errors = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const segment of splitSqlFrom(text, 0).segments) {
      if (segment.kind !== 'statement') continue;
      statements++;
      if (parseText(segment.text).error) errors++;
      tokens += scanTokens(segment.text, segment.start, utf8ByteToUtf16(segment.text)).length;
    }
  }
  process.stdout.write(`${JSON.stringify({ files: files.length, statements, tokens, errors })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
