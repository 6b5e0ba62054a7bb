/**
 * A tiny sequential test runner for inside VS Code's extension host. Each test is bounded by its
 * own timeout; results go to the console (which the workbench page forwards) and, as JSON, to
 * LEDGERLINT_E2E_REPORT, so the node:test side can check that every test really ran.
 */
import * as fs from 'node:fs';

type TestFn = () => Promise<void>;
interface HostTest { name: string; fn: TestFn; timeoutMs: number; skip?: string }
export interface HostResult { name: string; ok: boolean; ms: number; error?: string; skipped?: string }

const tests: HostTest[] = [];

export function test(name: string, fn: TestFn, timeoutMs = 30_000, skip?: string): void {
  tests.push({ name, fn, timeoutMs, skip });
}

function withTimeout(promise: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runAll(): Promise<void> {
  const results: HostResult[] = [];
  for (const t of tests) {
    if (t.skip) {
      results.push({ name: t.name, ok: true, ms: 0, skipped: t.skip });
      console.log(`ledgerlint-e2e: skip ${t.name}: ${t.skip}`);
      continue;
    }
    const started = Date.now();
    try {
      await withTimeout(t.fn(), t.timeoutMs, t.name);
      results.push({ name: t.name, ok: true, ms: Date.now() - started });
      console.log(`ledgerlint-e2e: ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = (error as Error)?.stack ?? String(error);
      results.push({ name: t.name, ok: false, ms: Date.now() - started, error: message });
      console.log(`ledgerlint-e2e: FAIL ${t.name}\n${message}`);
    }
  }
  const report = process.env.LEDGERLINT_E2E_REPORT;
  if (report) fs.writeFileSync(report, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} extension-host tests failed: ${failed.map((r) => r.name).join('; ')}`);
}
