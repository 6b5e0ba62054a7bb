// Re-lint after an edit inside DDL (a CREATE TABLE or ALTER TABLE column name) of a big file: the
// case where the file's schema is rebuilt and schema-dependent findings are recomputed, which the
// one-character lint bench (edits mostly in queries) hardly shows.
// Run after a build: node --expose-gc out/bench/ddl-edit.bench.js [statements...]
// CPU time (process.cpuUsage, user + system) is printed beside wall time: on a shared machine
// wall time includes waiting for a core. To compare builds, copy this compiled file into the
// other build's out/bench/ and run both alternately. LL_EDIT_PROFILE=<file.cpuprofile> writes a
// CPU profile of the edits alone (not of generating and first linting the file).
// LL_EDIT_POSITIONS=1 also times edits by position in the file and by phase (ddl-positions.ts): the
// p95 comes from edits near the top, and the phases tell whether replay or the rules pay for it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Project } from '../server/src/engine/project';
import { initParser } from '../server/src/sql/parser';
import { generateSqlFile, percentile } from './lib/generate';
import { timeByPosition } from './lib/ddl-positions';

const EDITS = 40;

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Offsets of a column name inside each CREATE TABLE / ALTER TABLE ... ADD COLUMN of the file. */
function ddlColumnOffsets(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/CREATE TABLE \w+ \(\n {2}\w+|ALTER TABLE \w+ ADD COLUMN \w+/g)) out.push(m.index! + m[0].length);
  return out;
}

/** Posts an inspector command and waits for its answer. */
function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

async function main(): Promise<void> {
  const profileTo = process.env.LL_EDIT_PROFILE;
  const session = profileTo ? new Session() : undefined;
  session?.connect();
  await initParser();
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const count of counts.length ? counts : [10_000]) {
    let text = generateSqlFile(count);
    const project = new Project(undefined);
    const first = project.lint('bench.sql', text);
    const offsets = ddlColumnOffsets(text);
    const wall: number[] = [];
    const cpu: number[] = [];
    let findings = first.findings.length;
    if (session) {
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.start');
    }
    // Each edit appends `x` to a column name (a new column for the schema), the next removes it again.
    for (let k = 0; k < EDITS; k++) {
      const at = offsets[Math.floor((Math.floor(k / 2) / (EDITS / 2)) * offsets.length)];
      text = k % 2 === 0 ? text.slice(0, at) + 'x' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      const t = performance.now();
      const c = process.cpuUsage();
      findings = project.lint('bench.sql', text).findings.length;
      cpu.push(cpuMs(c));
      wall.push(performance.now() - t);
    }
    if (session) {
      const { profile } = await post<{ profile: object }>(session, 'Profiler.stop');
      writeFileSync(`${profileTo}${counts.length > 1 ? `.${count}` : ''}`, JSON.stringify(profile));
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(
      `DDL edits in ${count.toLocaleString('en')} statements (${offsets.length.toLocaleString('en')} CREATE/ALTER TABLE, ${findings.toLocaleString('en')} findings): ` +
        `${EDITS} column-name edits: CPU median ${percentile(cpu, 0.5).toFixed(1)} ms, p95 ${percentile(cpu, 0.95).toFixed(1)} ms ` +
        `(wall median ${percentile(wall, 0.5).toFixed(1)} ms, p95 ${percentile(wall, 0.95).toFixed(1)} ms)`,
    );
    if (process.env.LL_EDIT_POSITIONS) await timeByPosition(project, text);
  }
}

void main();
