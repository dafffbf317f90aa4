import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirectoryLockedError, lockDataDirectory } from './lock.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'relais-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    // The process group of a child this test started (tsx → node).
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
    await once(child, 'exit');
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A process of our own that stays alive until the test ends. */
async function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child.pid!;
}

/** The pid of a process that has exited. */
async function deadPid() {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('lockDataDirectory', () => {
  it('writes our pid into DATA_DIR/relais.lock and removes it on release', () => {
    const dir = dataDir();
    const release = lockDataDirectory(dir);
    expect(readFileSync(join(dir, 'relais.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, 'relais.lock'))).toBe(false);
  });

  it('refuses a directory another live process holds, naming that process', async () => {
    const dir = dataDir();
    const owner = await liveProcess();
    writeFileSync(join(dir, 'relais.lock'), String(owner));
    let error: unknown;
    try {
      lockDataDirectory(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirectoryLockedError);
    expect(error).toMatchObject({ dir, pid: owner });
    expect((error as Error).message).toBe(
      `La base embarquée ${dir} est déjà ouverte par le processus ${owner} / the embedded database is already open by process ${owner}`,
    );
    expect(readFileSync(join(dir, 'relais.lock'), 'utf8')).toBe(String(owner));
  });

  it('takes over the lock of a process that died', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'relais.lock'), String(await deadPid()));
    const release = lockDataDirectory(dir);
    expect(readFileSync(join(dir, 'relais.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes over an unreadable lock file', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'relais.lock'), 'n’importe quoi');
    lockDataDirectory(dir)();
  });

  it('creates the directory when it does not exist', () => {
    const dir = join(dataDir(), 'pglite');
    lockDataDirectory(dir)();
    expect(existsSync(dir)).toBe(true);
  });
});

const freePort = async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
};

const root = resolve(import.meta.dirname, '../..');
/** `tsx server/main.ts` (what `npm start` runs, without npm's own start-up) in its own process group. */
async function startRelais(dir: string) {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dir, PORT: String(await freePort()), SEED_DEMO: 'false', JOBS: 'false', LOG_LEVEL: 'warn' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => {
    output.stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output.stderr += chunk;
  });
  return { child, output };
}

describe('two Relais processes on one DATA_DIR', () => {
  it('lets the second one exit with a clear French message instead of opening the embedded database', async () => {
    const dir = dataDir();
    const first = await startRelais(dir);
    // The lock is taken before PGlite opens; no need to wait for the first one to be ready.
    const lock = join(dir, 'pglite', 'relais.lock');
    await expect.poll(() => existsSync(lock), { timeout: 30_000, interval: 100 }).toBe(true);

    const second = await startRelais(dir);
    const [code] = (await once(second.child, 'exit')) as [number];
    expect(code).toBe(1);
    const owner = readFileSync(lock, 'utf8');
    expect(second.output.stderr).toContain(
      `La base embarquée ${join(dir, 'pglite')} est déjà ouverte par le processus ${owner} / the embedded database is already open by process ${owner}`,
    );
    expect(first.child.exitCode, first.output.stderr).toBeNull();
  }, 60_000);
});
