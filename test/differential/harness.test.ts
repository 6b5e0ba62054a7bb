// The differential harness itself: the comparison sees every difference a user would (and ignores the
// per-server `data` key), and a seed always generates the same case covering every kind of op.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diffDiagnostics } from './compare';
import { generateCase, type Op } from './edit-ops';

const d = (over: Partial<Diagnostic> = {}): Diagnostic => ({ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, severity: 2, code: 'money-float-type', source: 'ledgerlint', message: 'payments.amount is real', ...over });

describe('differential harness', () => {
  it('reports a missing, an extra, a moved, a reworded and a re-graded diagnostic, and ignores data', () => {
    assert.deepEqual(diffDiagnostics('a.sql', [d({ data: { key: 1 } })], [d({ data: { key: 7 } })]), []);
    assert.deepEqual(diffDiagnostics('a.sql', [d(), d()], [d()]).map((x) => x.kind), ['missing']);
    assert.deepEqual(diffDiagnostics('a.sql', [], [d()]).map((x) => x.kind), ['extra']);
    for (const changed of [d({ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 9 } } }), d({ message: 'payments.amount is float4' }), d({ severity: 1 }), d({ code: 'money-type' })]) {
      assert.deepEqual(diffDiagnostics('a.sql', [d()], [changed]).map((x) => x.kind).sort(), ['extra', 'missing']);
    }
  });

  it('a seed generates the same case every time, with every kind of op and undo that restores the text', () => {
    const a = generateCase(7, 300, 3);
    assert.deepEqual(generateCase(7, 300, 3), a);
    assert.notDeepEqual(generateCase(8, 300, 3).ops, a.ops);
    const kinds = new Set(a.ops.map((o) => o.kind));
    for (const k of ['open', 'change', 'save', 'close', 'disk-write', 'checkpoint'] as const) assert.ok(kinds.has(k), `no ${k} op in seed 7`);
    assert.equal(a.ops.filter((o) => o.kind === 'checkpoint').length, 3);
    const all = new Set(Array.from({ length: 10 }, (_, i) => generateCase(i + 1, 200, 1).ops.map((o: Op) => o.kind)).flat());
    for (const k of ['disk-rename', 'disk-delete'] as const) assert.ok(all.has(k), `no ${k} op in seeds 1-10`);
    // Whole-text changes and multi-cursor changes are sent too.
    const changes = Array.from({ length: 10 }, (_, i) => generateCase(i + 1, 200, 1).ops).flat().filter((o): o is Extract<Op, { kind: 'change' }> => o.kind === 'change');
    assert.ok(changes.some((c) => !('range' in c.changes[0])));
    assert.ok(changes.some((c) => c.changes.length === 2));
    // Every change applies to the text the generator had for it: replaying a file's changes never throws.
    const doc = TextDocument.create('x', 'sql', 1, a.files['queries/payments.sql']);
    for (const o of a.ops) if (o.kind === 'change' && o.path === 'queries/payments.sql') TextDocument.update(doc, o.changes, doc.version + 1);
    assert.ok(doc.getText().length > 0);
  });
});
