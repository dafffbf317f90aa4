import { connect, type Socket } from 'node:net';
import { AppError } from '../errors.ts';

/** The values of `request_attachments.scan_status`. */
export type ScanResult = 'sain' | 'infecte' | 'non_analyse';

export interface Scanner {
  /** 'non_analyse' without clamd; with clamd, its verdict, or 503 ANTIVIRUS_UNAVAILABLE (never a silent pass). */
  scan(data: Buffer): Promise<ScanResult>;
  describe(): string;
}

export type ClamdConfig = { host: string; port: number } | { socket: string };

export interface AntivirusConfig {
  antivirus: { clamd: ClamdConfig | null; timeoutMs: number };
}

// clamd's default StreamMaxLength is 25 MB, its chunks are read up to that; 64 KiB keeps memory flat.
const CHUNK_BYTES = 64 * 1024;

export const antivirusUnavailable = (detail: string) =>
  new AppError(
    'ANTIVIRUS_UNAVAILABLE',
    503,
    'L’analyse antivirus des pièces jointes est indisponible : le fichier n’a pas été enregistré. Réessayez dans quelques minutes ; si cela dure, prévenez l’administrateur.',
    undefined,
    { antivirus: detail },
  );

/** The antivirus hook: ClamAV's clamd (INSTREAM over TCP or a Unix socket) when configured, else nothing. */
export function createScanner(config: AntivirusConfig): Scanner {
  const { clamd, timeoutMs } = config.antivirus;
  if (!clamd) return { scan: async () => 'non_analyse', describe: () => 'aucun (pièces jointes non analysées)' };
  const where = 'socket' in clamd ? clamd.socket : `${clamd.host}:${clamd.port}`;
  return {
    async scan(data) {
      const answer = await clamdInstream(clamd, data, timeoutMs);
      if (answer === 'stream: OK') return 'sain';
      if (/^stream: .+ FOUND$/.test(answer)) return 'infecte';
      throw antivirusUnavailable(`clamd: ${answer.slice(0, 200)}`);
    },
    describe: () => `ClamAV clamd (${where})`,
  };
}

/** Sends the bytes with `zINSTREAM` and returns clamd's answer without its terminating NUL. */
function clamdInstream(clamd: ClamdConfig, data: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = 'socket' in clamd ? connect({ path: clamd.socket }) : connect({ host: clamd.host, port: clamd.port });
    const received: Buffer[] = [];
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(antivirusUnavailable(`clamd: no answer after ${timeoutMs} ms`))), timeoutMs);
    socket.on('error', (error) => finish(() => reject(antivirusUnavailable(`clamd: ${error.message}`))));
    socket.on('data', (chunk) => {
      received.push(chunk);
      const all = Buffer.concat(received);
      const end = all.indexOf(0);
      if (end >= 0) finish(() => resolve(all.subarray(0, end).toString('utf8').trim()));
    });
    socket.on('close', () => {
      const all = Buffer.concat(received).toString('utf8').trim();
      finish(() => (all ? resolve(all) : reject(antivirusUnavailable('clamd closed the connection without an answer'))));
    });
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      for (let at = 0; at < data.length; at += CHUNK_BYTES) {
        const chunk = data.subarray(at, at + CHUNK_BYTES);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.length);
        socket.write(length);
        socket.write(chunk);
      }
      socket.write(Buffer.alloc(4)); // zero-length chunk: end of stream
    });
  });
}
