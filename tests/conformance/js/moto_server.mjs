// moto_server, a real S3 implementation, for the node:test suites: started on a free loopback
// port, stopped at the end. A machine without it fails the suite loudly.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Resolves to { moto, endpoint } once moto_server answers.
export async function startMoto() {
  const found = spawnSync('sh', ['-c', 'command -v moto_server']);
  assert.equal(found.status, 0, 'moto_server is not installed: run make test');
  const port = await freePort();
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    assert.equal(moto.exitCode, null, 'moto_server exited');
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return { moto, endpoint };
    } catch {
      // not listening yet
    }
    assert.ok(Date.now() < deadline, 'moto_server did not answer within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function stopMoto(moto) {
  if (moto && moto.exitCode === null) moto.kill('SIGTERM');
}
