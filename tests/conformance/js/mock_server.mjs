// Starting and stopping the real rekognition-mock binary for the node:test suites.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';

const binary = process.env.REKOGNITION_MOCK_BIN;
const fixturesDir = process.env.REKOGNITION_MOCK_FIXTURES_DIR;
assert.ok(binary, 'REKOGNITION_MOCK_BIN must name the rekognition-mock binary');
assert.ok(fixturesDir, 'REKOGNITION_MOCK_FIXTURES_DIR must name the fixtures folder');

export const fixtureFile = path.join(fixturesDir, 'default-jobs.json');

// Starts the server with `args` (add '--port', '0' yourself); resolves to { server, endpoint }
// once it prints its "listening on http://..." line.
export async function startServer(args) {
  const server = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    createInterface({ input: server.stdout }).once('line', resolve);
  });
  const match = /listening on (http:\/\/\S+)/.exec(line);
  assert.ok(match, `unexpected start-up line: ${line}`);
  return { server, endpoint: match[1] };
}

// Stops a server with SIGTERM and checks that it exits 0.
export async function stopServer(server) {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
}
