import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScanner } from './antivirus.ts';

// The EICAR test file, in two halves so that no antivirus quarantines this source file.
const EICAR = `X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-` + 'ANTIVIRUS-TEST-FILE!$H+H*';

type Behaviour = 'clamd' | 'hang' | 'close' | 'size-limit';

/**
 * A TCP (or Unix socket) server speaking clamd's zINSTREAM: a NUL-terminated command, chunks
 * prefixed by their 4-byte big-endian length, a zero-length chunk, then a NUL-terminated answer.
 */
async function startFakeClamd(behaviour: Behaviour = 'clamd', path?: string) {
  const sessions: { command: string; chunkSizes: number[]; data: Buffer }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    let session: (typeof sessions)[number] | null = null;
    const chunks: Buffer[] = [];
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (!session) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        session = { command: buffer.subarray(0, end).toString(), chunkSizes: [], data: Buffer.alloc(0) };
        sessions.push(session);
        buffer = buffer.subarray(end + 1);
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (buffer.length < 4 + length) return;
        const chunk = buffer.subarray(4, 4 + length);
        buffer = buffer.subarray(4 + length);
        if (length > 0) {
          session.chunkSizes.push(length);
          chunks.push(chunk);
          continue;
        }
        session.data = Buffer.concat(chunks);
        if (behaviour === 'hang') return;
        if (behaviour === 'close') return void socket.destroy();
        if (behaviour === 'size-limit') return void socket.end('INSTREAM size limit exceeded. ERROR\0');
        const found = session.data.includes(Buffer.from(EICAR));
        return void socket.end(found ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
      }
    });
  });
  await new Promise<void>((resolve) => (path ? server.listen(path, resolve) : server.listen(0, '127.0.0.1', resolve)));
  const port = path ? 0 : (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  stopping.push(stop);
  return { port, sessions, stop };
}

const stopping: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(stopping.splice(0).map((stop) => stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tcpScanner = (port: number, timeoutMs = 5_000) => createScanner({ antivirus: { clamd: { host: '127.0.0.1', port }, timeoutMs } });

async function rejectionOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('antivirus hook', () => {
  it('says « non analysé » when no clamd is configured', async () => {
    const scanner = createScanner({ antivirus: { clamd: null, timeoutMs: 30_000 } });
    expect(await scanner.scan(Buffer.from(EICAR))).toBe('non_analyse');
    expect(scanner.describe()).toBe('aucun (pièces jointes non analysées)');
  });

  it('streams the file to clamd with zINSTREAM and reads « stream: OK » as clean', async () => {
    const clamd = await startFakeClamd();
    const scanner = tcpScanner(clamd.port);
    const pdf = Buffer.from('%PDF-1.4 attestation');
    expect(await scanner.scan(pdf)).toBe('sain');
    expect(clamd.sessions).toEqual([{ command: 'zINSTREAM', chunkSizes: [pdf.length], data: pdf }]);
    expect(scanner.describe()).toBe(`ClamAV clamd (127.0.0.1:${clamd.port})`);
  });

  it('reads « FOUND » as infected: the EICAR test file is caught', async () => {
    const clamd = await startFakeClamd();
    expect(await tcpScanner(clamd.port).scan(Buffer.from(`début ${EICAR} fin`))).toBe('infecte');
  });

  it('sends a large file in 64 KiB chunks that clamd puts back together', async () => {
    const clamd = await startFakeClamd();
    const data = Buffer.concat([randomBytes(200_000), Buffer.from(EICAR)]);
    expect(await tcpScanner(clamd.port).scan(data)).toBe('infecte');
    const [session] = clamd.sessions;
    expect(session?.chunkSizes).toEqual([65_536, 65_536, 65_536, data.length - 3 * 65_536]);
    expect(session?.data.equals(data)).toBe(true);
  });

  it('talks to clamd over its Unix socket too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-clamd-'));
    dirs.push(dir);
    const socket = join(dir, 'clamd.ctl');
    await startFakeClamd('clamd', socket);
    const scanner = createScanner({ antivirus: { clamd: { socket }, timeoutMs: 5_000 } });
    expect(await scanner.scan(Buffer.from('image'))).toBe('sain');
    expect(scanner.describe()).toBe(`ClamAV clamd (${socket})`);
  });

  it('refuses with 503 ANTIVIRUS_UNAVAILABLE when clamd does not answer in time', async () => {
    const clamd = await startFakeClamd('hang');
    const started = Date.now();
    const error = await rejectionOf(tcpScanner(clamd.port, 300).scan(Buffer.from('x')));
    expect(error).toMatchObject({ code: 'ANTIVIRUS_UNAVAILABLE', status: 503, extensions: { antivirus: 'clamd: no answer after 300 ms' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((error as Error).message).toContain('le fichier n’a pas été enregistré');
  });

  it('refuses with 503 ANTIVIRUS_UNAVAILABLE when clamd cannot be reached', async () => {
    const clamd = await startFakeClamd();
    await clamd.stop();
    const error = await rejectionOf(tcpScanner(clamd.port).scan(Buffer.from('x')));
    expect(error).toMatchObject({ code: 'ANTIVIRUS_UNAVAILABLE', status: 503 });
    expect((error as { extensions: { antivirus: string } }).extensions.antivirus).toMatch(/ECONNREFUSED/);
  });

  it('refuses with 503 when clamd hangs up without a verdict or answers an error', async () => {
    const closing = await startFakeClamd('close');
    expect(await rejectionOf(tcpScanner(closing.port).scan(Buffer.from('x')))).toMatchObject({
      code: 'ANTIVIRUS_UNAVAILABLE',
      extensions: { antivirus: 'clamd closed the connection without an answer' },
    });
    const limited = await startFakeClamd('size-limit');
    expect(await rejectionOf(tcpScanner(limited.port).scan(Buffer.from('x')))).toMatchObject({
      code: 'ANTIVIRUS_UNAVAILABLE',
      extensions: { antivirus: 'clamd: INSTREAM size limit exceeded. ERROR' },
    });
  });
});
