/**
 * Ledgerlint's language server with another editor: Neovim's built-in LSP client (Debian's
 * neovim, headless) runs `dist/server.js --stdio` on a migration, and the diagnostics it receives
 * (vim.diagnostic.get) are written to a JSON file. Skipped when nvim is absent, except in CI.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixtureWorkspace, repoRoot } from '../e2e/lib/paths';
import { makeScratch } from '../e2e/lib/scratch';

const hasNvim = spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;

// Neovim 0.7 (Debian 12) has no vim.lsp.start yet: start_client + buf_attach_client work in 0.7 to 0.11.
const LUA = `
local out, file, root = os.getenv('LL_OUT'), os.getenv('LL_FILE'), os.getenv('LL_ROOT')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = 'ledgerlint', cmd = { os.getenv('LL_NODE'), os.getenv('LL_SERVER'), '--stdio' }, root_dir = root })
vim.lsp.buf_attach_client(buf, id)
local ok = vim.wait(45000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
local items = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(items, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, source = d.source, code = d.code or lsp.code, message = d.message })
end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode({ arrived = ok, diagnostics = items }))
f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
`;

interface NvimDiagnostic { lnum: number; col: number; end_lnum: number; end_col: number; severity: number; source: string; code: string; message: string }

test('Neovim\'s built-in LSP client receives Ledgerlint diagnostics for a .sql file', {
  skip: !hasNvim && !process.env.CI ? 'nvim is not installed (scripts/e2e-setup.sh installs it)' : false,
  timeout: 90_000,
}, async () => {
  assert.ok(hasNvim, 'nvim is not installed: CI must run scripts/e2e-setup.sh');
  const server = path.join(repoRoot, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), 'dist/server.js is missing: run npm run build');
  const scratch = makeScratch('nvim');
  try {
    const ws = scratch.copy(fixtureWorkspace, 'ws');
    const script = path.join(scratch.dir, 'ledgerlint.lua');
    const out = path.join(scratch.dir, 'diagnostics.json');
    fs.writeFileSync(script, LUA);
    const env = { ...scratch.env, LL_OUT: out, LL_FILE: path.join(ws, 'migrations', '0001_create_payments.sql'), LL_ROOT: ws, LL_NODE: process.execPath, LL_SERVER: server };
    const nvim = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${script}`], { env, cwd: ws, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    nvim.stdout.on('data', (d) => (output += d));
    nvim.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        try { process.kill(-nvim.pid!, 'SIGKILL'); } catch { /* already gone */ }
      }, 70_000);
      nvim.on('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    // The server is nvim's child; make sure nothing outlives the test.
    try { process.kill(-nvim.pid!, 'SIGKILL'); } catch { /* already gone */ }
    assert.ok(fs.existsSync(out), `nvim wrote no result (exit ${code}): ${output.slice(-2000)}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { arrived: boolean; diagnostics: NvimDiagnostic[] };
    assert.equal(result.arrived, true, 'no diagnostics arrived within 45 s');
    assert.ok(result.diagnostics.every((d) => d.source === 'ledgerlint'), JSON.stringify(result.diagnostics));
    // Other rules may flag the fixture too (the rules' own tests cover them): look for the one we know.
    const money = result.diagnostics.filter((d) => d.code === 'money-float-type');
    assert.deepEqual(money.map((d) => [d.severity, d.lnum, d.col, d.end_lnum, d.end_col]), [[1, 4, 2, 4, 14]], JSON.stringify(result.diagnostics));
    assert.match(money[0].message, /payments\.amount stores money as float/);
  } finally {
    scratch.remove();
  }
});
