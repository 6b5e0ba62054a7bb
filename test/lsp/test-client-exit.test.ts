// The test client must let its process exit after a server stopped in the middle of a message (a
// large publish cut off by shutdown): vscode-jsonrpc's reader re-arms a timer for a half-read
// message forever, which once hung CI for 15 minutes after every test of a file had passed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const CLIENT = path.resolve(__dirname, '../lib/lsp-client.js');

/** A process that reads half a message, disposes its connection, and should then exit; resolves with how long it took. */
function halfReadMessage(reader: 'test' | 'plain', waitMs: number): Promise<number | 'still running'> {
  const script = `
    const { PassThrough } = require('node:stream');
    const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
    const { testMessageReader } = require(${JSON.stringify(CLIENT)});
    const input = new PassThrough();
    const reader = ${reader === 'test' ? 'testMessageReader(input)' : 'new StreamMessageReader(input)'};
    const connection = createMessageConnection(reader, new StreamMessageWriter(new PassThrough()));
    connection.listen();
    input.write('Content-Length: 100\\r\\n\\r\\n{"jsonrpc":"2.0",');
    setTimeout(() => { connection.dispose(); input.destroy(); }, 50);`;
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit', env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../../node_modules') } });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running');
    }, waitMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

describe('test client: a half-read message does not keep the process alive', () => {
  it('exits once the connection is disposed', async () => {
    const took = await halfReadMessage('test', 4_000);
    assert.notEqual(took, 'still running', 'the process with the test reader did not exit');
  });

  it("vscode-jsonrpc's own reader does not (why the test reader exists)", async () => {
    // Its timer re-arms every 10 s for as long as the message stays half read: never exits.
    assert.equal(await halfReadMessage('plain', 4_000), 'still running');
  });
});
