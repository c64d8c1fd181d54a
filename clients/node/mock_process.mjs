// The rekognition-mock binary as a child process: found, started on a free port, stopped.
//
// The server is started with `--host 127.0.0.1 --port 0`: the kernel picks a free port, so test
// files running in parallel never race for one, and the server prints
// `listening on http://HOST:PORT` as its one stdout line once bound.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { bundledBinary, missingBinaryHint } from './platform_package.mjs';

export const BINARY_ENV = 'REKOGNITION_MOCK_BIN';
const BINARY_NAME = 'rekognition-mock';
const LOG_LIMIT = 1 << 20; // keep the last MiB of log lines: enough to explain a failure

export class MockStartError extends Error {}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

// The server's path: `binary`, else $REKOGNITION_MOCK_BIN, else the platform package's, else
// rekognition-mock on PATH (`searchPath` false leaves PATH out: the npm bin shim is on it).
export function findBinary(binary, environ = process.env, { searchPath = true } = {}) {
  const candidate =
    binary ??
    (environ[BINARY_ENV] ||
      bundledBinary() ||
      (searchPath
        ? (environ.PATH ?? '')
            .split(path.delimiter)
            .filter(Boolean)
            .map((dir) => path.join(dir, BINARY_NAME))
            .find(isExecutable)
        : undefined));
  if (!candidate) {
    throw new MockStartError(
      `rekognition-mock not found: ${missingBinaryHint()}. Pass binary, set ${BINARY_ENV}, ` +
        'put it on PATH (build it from source: make build puts it in build/release/server/), ' +
        'or set REKOGNITION_MOCK_URL to use a mock that is already running',
    );
  }
  if (!isExecutable(candidate)) {
    throw new MockStartError(`${candidate} is not an executable file`);
  }
  return candidate;
}

// Servers still running when Node exits (a run interrupted, a teardown never called) get their
// SIGTERM then; 'exit' handlers cannot wait, and the server stops within a second by itself.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

// One running server: `endpoint` is its base URL; stop() ends it.
export class MockProcess {
  #child;
  #closed;
  #logs = '';

  // Starts the binary with extra `args`; resolves once it has printed its address.
  static async start({ args = [], binary, env, startTimeoutMs = 15000 } = {}) {
    const command = findBinary(binary, env ?? process.env);
    const child = spawn(command, ['--host', '127.0.0.1', '--port', '0', ...args.map(String)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: env ?? process.env,
    });
    const server = new MockProcess(child);
    try {
      server.endpoint = await server.#readEndpoint(startTimeoutMs);
    } catch (error) {
      await server.stop();
      throw error;
    }
    // Started: a forgotten stop() must not keep the test runner's process alive.
    child.unref();
    child.stdout.unref();
    child.stderr.unref();
    return server;
  }

  constructor(child) {
    this.#child = child;
    // 'close' comes after 'exit', once stdout and stderr are drained too.
    this.#closed = new Promise((resolve) => child.once('close', resolve));
    running.add(child);
    child.once('exit', () => running.delete(child));
    // Drained as it comes (a pipe nobody reads would fill and stall the server), kept bounded.
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      this.#logs = (this.#logs + text).slice(-LOG_LIMIT);
    });
  }

  #readEndpoint(timeoutMs) {
    const child = this.#child;
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const fail = (message) => {
        clearTimeout(timer);
        lines.close();
        child.off('close', onClose);
        reject(new MockStartError(`${message}\n${this.#logs}`));
      };
      // A server that hangs before binding must fail the test, not stall it.
      const timer = setTimeout(() => fail(`no listening line within ${timeoutMs} ms`), timeoutMs);
      // 'close' comes once stderr is drained too, so the message holds the server's reason.
      const onClose = (code, signal) =>
        fail(`rekognition-mock exited with status ${code ?? signal}:`);
      child.once('close', onClose);
      child.once('error', (error) => fail(`rekognition-mock could not start: ${error.message}`));
      lines.once('line', (line) => {
        const match = /^listening on (http:\/\/\S+)$/.exec(line.trim());
        if (!match) return fail(`unexpected first line ${JSON.stringify(line)}`);
        clearTimeout(timer);
        child.off('close', onClose);
        lines.close();
        resolve(match[1]);
      });
    });
  }

  // The process id, for tests of the helper itself.
  get pid() {
    return this.#child.pid;
  }

  // What the server wrote to stderr so far (JSON log lines, or a start-up error).
  logs() {
    return this.#logs;
  }

  // SIGTERM, wait up to `timeoutMs`, then SIGKILL; resolves to the exit code (or signal name)
  // once the process has exited and its output is drained, so logs() then holds its last line.
  async stop(timeoutMs = 5000) {
    const child = this.#child;
    if (child.pid !== undefined) {
      // Unref'd once started: waiting for the exit and the pipes must keep Node running.
      child.ref();
      child.stdout.ref();
      child.stderr.ref();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs, 'late');
      });
      if ((await Promise.race([this.#closed, late])) === 'late') {
        child.kill('SIGKILL');
        await this.#closed;
      }
      clearTimeout(timer);
    }
    return child.exitCode ?? child.signalCode;
  }
}
