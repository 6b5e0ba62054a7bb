// DDL edits of a big file by where they are and by phase: re-splitting and parsing the edited
// statements, rebuilding the schema (replay, checkpoint patching), the rules, reading the findings.
// An edit near the top moves every later statement; one near the end moves few: timing them apart
// shows what grows with the statements after the edit and what every DDL edit pays.
import type { Project } from '../../server/src/engine/project';
import { percentile } from './generate';

const KINDS = ['CREATE TABLE', 'CREATE INDEX', 'ALTER TABLE'] as const;
const FRACTIONS = [0.005, 0.1, 0.5, 0.9, 0.995];
const PHASES = ['parse', 'schema', 'rules', 'read'] as const;

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Where to type in a statement of each kind: inside the column (or indexed column) name, and after its first keyword. */
function targets(text: string): Array<{ fraction: number; kind: string; name: number; keyword: number }> {
  const starts: Array<{ at: number; kind: string }> = [];
  for (const m of text.matchAll(/(^|;\n\n)(CREATE TABLE|CREATE INDEX|ALTER TABLE)/g)) starts.push({ at: m.index! + m[1].length, kind: m[2] });
  const out: Array<{ fraction: number; kind: string; name: number; keyword: number }> = [];
  for (const fraction of FRACTIONS) {
    for (const kind of KINDS) {
      const list = starts.filter((s) => s.kind === kind);
      const s = list[Math.floor(fraction * list.length)];
      const head = text.slice(s.at, s.at + 200);
      const word = kind === 'ALTER TABLE' ? 'fee_minor' : 'merchant_id';
      out.push({ fraction, kind, name: s.at + head.indexOf(word, kind === 'CREATE INDEX' ? head.indexOf('(') : 0) + 3, keyword: s.at + 6 });
    }
  }
  return out;
}

/** Edits (a letter in a name, a space after the first keyword, each undone) at each target; prints CPU ms by phase. */
export async function timeByPosition(project: Project, text: string): Promise<void> {
  const rows: Array<{ label: string; ms: Record<(typeof PHASES)[number], number>; total: number }> = [];
  for (const t of targets(text)) {
    for (const [what, at, insert] of [['name', t.name, 'x'], ['space', t.keyword, ' ']] as const) {
      for (const undo of [false, true]) {
        text = undo ? text.slice(0, at) + text.slice(at + insert.length) : text.slice(0, at) + insert + text.slice(at);
        const ms = { parse: 0, schema: 0, rules: 0, read: 0 };
        let c = process.cpuUsage();
        project.model.setFile('bench.sql', text);
        project.model.sqlFile('bench.sql');
        ms.parse = cpuMs(c);
        c = process.cpuUsage();
        project.model.schema();
        ms.schema = cpuMs(c);
        c = process.cpuUsage();
        // lint() finds the text, parse and schema as they are now: it pays the rules only.
        const result = project.lint('bench.sql', text);
        ms.rules = cpuMs(c);
        c = process.cpuUsage();
        void result.findings.length;
        ms.read = cpuMs(c);
        rows.push({ label: `${t.fraction} ${t.kind} ${what}${undo ? ' undone' : ''}`, ms, total: ms.parse + ms.schema + ms.rules + ms.read });
        await new Promise(setImmediate);
      }
    }
  }
  const cell = (n: number) => n.toFixed(0).padStart(5);
  for (const r of rows) console.log(`  ${r.label.padEnd(30)}${PHASES.map((p) => ` ${p}${cell(r.ms[p])}`).join('')} total${cell(r.total)}`);
  for (const fraction of FRACTIONS) {
    const at = rows.filter((r) => r.label.startsWith(`${fraction} `));
    const total = at.map((r) => r.total).sort((a, b) => a - b);
    const phases = PHASES.map((p) => `${p} ${(at.reduce((n, r) => n + r.ms[p], 0) / at.length).toFixed(1)}`).join(', ');
    console.log(`  at ${(fraction * 100).toFixed(1)}% of the file (${at.length} edits): CPU median ${percentile(total, 0.5).toFixed(1)} ms, max ${total[total.length - 1].toFixed(1)} ms; mean by phase ${phases}`);
  }
}
