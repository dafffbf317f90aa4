import { createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { signS3Request } from './s3.ts';
import { createFileSealer, createFileStore, type FileStore, reencryptStoredFile } from './store.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'relais-files-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const filesystemStore = (dir: string, key = randomBytes(32)) => createFileStore({ fileStorage: { kind: 'filesystem', dir } }, key);

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e as Error,
  );
  if (error.message === 'expected a rejection') throw error;
  return error;
}

describe('file encryption at rest', () => {
  const secretKey = randomBytes(32);

  it('stores version 1, a nonce, the ciphertext and the tag, and gives back the same bytes', () => {
    const sealer = createFileSealer(secretKey);
    const key = randomUUID();
    const plain = Buffer.from('%PDF-1.4 relevé de la CAF de Mme Martin');
    const sealed = sealer.seal(key, plain);
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(1 + 12 + plain.length + 16);
    expect(sealed.includes(Buffer.from('CAF'))).toBe(false);
    expect(sealer.open(key, sealed).equals(plain)).toBe(true);
    expect(sealer.seal(key, plain).equals(sealed)).toBe(false); // a fresh nonce each time
  });

  it('refuses a tampered file, a file under another key or another secret key, never giving garbage', () => {
    const sealer = createFileSealer(secretKey);
    const key = randomUUID();
    const sealed = sealer.seal(key, randomBytes(1000));
    const flipped = Buffer.from(sealed);
    flipped[500]! ^= 1;
    const attempts = [
      () => sealer.open(key, flipped),
      () => sealer.open(key, sealed.subarray(0, sealed.length - 1)),
      () => sealer.open(key, Buffer.concat([Buffer.of(2), sealed.subarray(1)])),
      () => sealer.open(key, Buffer.alloc(10)),
      () => sealer.open(randomUUID(), sealed),
      () => createFileSealer(randomBytes(32)).open(key, sealed),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(AppError);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ code: 'ATTACHMENT_UNREADABLE', status: 500 });
        expect((error as Error).message).toContain('la clé secrète du serveur a changé');
      }
    }
  });

  it('encrypts with a key derived by HKDF-SHA256 from the secret key, not with the secret key itself', () => {
    const key = randomUUID();
    const sealed = createFileSealer(secretKey).seal(key, Buffer.from('justificatif'));
    const openWith = (aesKey: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', aesKey, sealed.subarray(1, 13));
      decipher.setAAD(Buffer.from(key));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]).toString();
    };
    expect(openWith(Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'relais-files-v1', 32)))).toBe('justificatif');
    expect(() => openWith(secretKey)).toThrow();
    expect(() => createFileSealer(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('filesystem store', () => {
  it('keeps the bytes encrypted under DATA_DIR/files/<prefix>/<key>, readable only by the server', async () => {
    const dir = tempDir();
    const store = filesystemStore(dir);
    const key = randomUUID();
    const plain = Buffer.from('Attestation de domicile — Mairie de Bretoncelles');
    await store.put(key, plain);
    const path = join(dir, key.slice(0, 2), key);
    const onDisk = readFileSync(path);
    expect(onDisk.includes(Buffer.from('Bretoncelles'))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await store.get(key)).equals(plain)).toBe(true);
    expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([key]); // no temporary file left
    expect(store.describe()).toBe(`système de fichiers (${dir})`);
  });

  it('answers 404 ATTACHMENT_MISSING for absent bytes, and deletes idempotently', async () => {
    const store = filesystemStore(tempDir());
    const key = randomUUID();
    expect(await rejectionOf(store.get(key))).toMatchObject({ code: 'ATTACHMENT_MISSING', status: 404 });
    await store.put(key, Buffer.from('a'));
    await store.delete(key);
    await store.delete(key);
    expect(await rejectionOf(store.get(key))).toMatchObject({ code: 'ATTACHMENT_MISSING' });
  });

  it('refuses keys that are not lower-case UUIDs, so no key can leave its folder', async () => {
    const dir = tempDir();
    const outside = join(dir, 'secret.key');
    writeFileSync(outside, 'clé');
    const store = filesystemStore(join(dir, 'files'));
    for (const key of [
      '../secret.key',
      '../../etc/passwd',
      `${randomUUID()}/../../secret.key`,
      randomUUID().toUpperCase(),
      '',
      'a'.repeat(36),
    ]) {
      expect((await rejectionOf(store.get(key))).message).toMatch(/invalid file store key/);
      expect((await rejectionOf(store.put(key, Buffer.from('x')))).message).toMatch(/invalid file store key/);
      expect((await rejectionOf(store.delete(key))).message).toMatch(/invalid file store key/);
    }
    expect(readFileSync(outside, 'utf8')).toBe('clé');
    expect(existsSync(join(dir, 'files'))).toBe(false);
  });

  it('never lets a reader see a partly written file (temporary file, then rename)', async () => {
    const store = filesystemStore(tempDir());
    const key = randomUUID();
    const versions = [Buffer.alloc(4 * 1024 * 1024, 'a'), Buffer.alloc(4 * 1024 * 1024, 'b')];
    await store.put(key, versions[0]!);
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 12; i++) await store.put(key, versions[i % 2]!);
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const read = await store.get(key); // a torn file would fail authentication (ATTACHMENT_UNREADABLE)
      expect(read.equals(versions[0]!) || read.equals(versions[1]!)).toBe(true);
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  it('does not open a file moved by hand under another key', async () => {
    const dir = tempDir();
    const store = filesystemStore(dir);
    const [a, b] = [randomUUID(), randomUUID()];
    await store.put(a, Buffer.from('pièce A'));
    await store.put(b, Buffer.from('pièce B'));
    writeFileSync(join(dir, b.slice(0, 2), b), readFileSync(join(dir, a.slice(0, 2), a)));
    expect(await rejectionOf(store.get(b))).toMatchObject({ code: 'ATTACHMENT_UNREADABLE' });
  });
});

describe('secret key rotation', () => {
  it('re-encrypts a stored file from the old key to the new one, once, and stops on a key that opens nothing', async () => {
    const config = { fileStorage: { kind: 'filesystem' as const, dir: tempDir() } };
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const key = randomUUID();
    await createFileStore(config, oldKey).put(key, Buffer.from('mandat signé'));
    expect(await reencryptStoredFile(config, oldKey, newKey, key)).toBe('rotated');
    expect((await createFileStore(config, newKey).get(key)).toString()).toBe('mandat signé');
    expect(await reencryptStoredFile(config, oldKey, newKey, key)).toBe('already');
    const wrongOldKey = randomBytes(32);
    const other = randomUUID();
    await createFileStore(config, oldKey).put(other, Buffer.from('x'));
    expect(await rejectionOf(reencryptStoredFile(config, wrongOldKey, newKey, other))).toMatchObject({ code: 'ATTACHMENT_UNREADABLE' });
    expect((await createFileStore(config, oldKey).get(other)).toString()).toBe('x');
  });
});

describe('AWS Signature Version 4', () => {
  // The examples of the Amazon S3 API reference ("Signature Calculations for the Authorization Header").
  const credentials = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    region: 'us-east-1',
  };
  const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const now = new Date('2013-05-24T00:00:00Z');
  const sign = (url: string, headers: Record<string, string> = {}) =>
    signS3Request({ method: 'GET', url: new URL(url), headers, payloadHash: emptyHash }, credentials, now).authorization;

  it('matches the signatures published by AWS for GET object, a sub-resource and a query', () => {
    expect(sign('https://examplebucket.s3.amazonaws.com/test.txt', { Range: 'bytes=0-9' })).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(sign('https://examplebucket.s3.amazonaws.com/?lifecycle')).toMatch(
      /Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/,
    );
    expect(sign('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J')).toMatch(
      /Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/,
    );
  });
});

/**
 * An S3-compatible server for the test: path-style buckets, PUT/GET/DELETE of objects, and a
 * SigV4 check written here from the specification, apart from the code under test: it rebuilds
 * the canonical request from what it received and refuses any mismatch, as S3 does.
 */
function startFakeS3(bucket: string, secrets: Record<string, string>) {
  const objects = new Map<string, Buffer>();
  const requests: { method: string; path: string; signedHeaders: string }[] = [];
  const hash = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const xml = (code: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`;

  function signatureProblem(req: IncomingMessage, body: Buffer): string | null {
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        req.headers.authorization ?? '',
      );
    if (!match) return 'AccessDenied';
    const [, accessKeyId, day, region, signedHeaders, signature] = match as unknown as string[];
    const secret = secrets[accessKeyId!];
    if (!secret) return 'InvalidAccessKeyId';
    const amzDate = String(req.headers['x-amz-date']);
    if (
      !amzDate.startsWith(day!) ||
      Math.abs(Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) - Date.now()) > 15 * 60_000
    ) {
      return 'RequestTimeTooSkewed';
    }
    if (req.headers['x-amz-content-sha256'] !== hash(body)) return 'XAmzContentSHA256Mismatch';
    const names = signedHeaders!.split(';');
    if (!['host', 'x-amz-content-sha256', 'x-amz-date'].every((n) => names.includes(n))) return 'AccessDenied';
    const url = new URL(req.url!, 'http://s3.test');
    const query = [...url.searchParams]
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .sort()
      .join('&');
    const canonical = [
      req.method,
      url.pathname,
      query,
      ...names.map((n) => `${n}:${String(req.headers[n]).trim()}`),
      '',
      signedHeaders,
      req.headers['x-amz-content-sha256'],
    ].join('\n');
    const scope = `${day}/${region}/s3/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hash(canonical)}`;
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), 's3'), 'aws4_request');
    requests.push({ method: req.method!, path: url.pathname, signedHeaders: signedHeaders! });
    return createHmac('sha256', key).update(toSign).digest('hex') === signature ? null : 'SignatureDoesNotMatch';
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const problem = signatureProblem(req, body);
    if (problem) return res.writeHead(403, { 'content-type': 'application/xml' }).end(xml(problem));
    const [, bucketName, ...rest] = new URL(req.url!, 'http://s3.test').pathname.split('/');
    if (bucketName !== bucket) return res.writeHead(404, { 'content-type': 'application/xml' }).end(xml('NoSuchBucket'));
    const name = rest.join('/');
    if (req.method === 'PUT') {
      objects.set(name, body);
      return res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
    }
    if (req.method === 'GET') {
      const object = objects.get(name);
      if (!object) return res.writeHead(404, { 'content-type': 'application/xml' }).end(xml('NoSuchKey'));
      return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(object);
    }
    if (req.method === 'DELETE') {
      objects.delete(name);
      return res.writeHead(204).end();
    }
    res.writeHead(405).end();
  });
  return { server, objects, requests };
}

describe('S3-compatible store', () => {
  const fake = startFakeS3('relais-pieces', { RELAISKEY: 'secret-de-test/0123456789' });
  let endpoint = '';
  const s3Store = (secretAccessKey = 'secret-de-test/0123456789', secretKey = randomBytes(32)): FileStore =>
    createFileStore(
      { fileStorage: { kind: 's3', endpoint, bucket: 'relais-pieces', accessKeyId: 'RELAISKEY', secretAccessKey, region: 'fr-par' } },
      secretKey,
    );

  beforeAll(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

  it('puts, gets and deletes encrypted objects with requests the server authenticates', async () => {
    const store = s3Store();
    const key = randomUUID();
    const plain = Buffer.concat([Buffer.from('%PDF-1.7 avis de situation Pôle emploi '), randomBytes(300_000)]);
    await store.put(key, plain);
    const stored = fake.objects.get(key)!;
    expect(stored[0]).toBe(1);
    expect(stored.includes(Buffer.from('Pôle emploi'))).toBe(false);
    expect((await store.get(key)).equals(plain)).toBe(true);
    await store.delete(key);
    expect(fake.objects.has(key)).toBe(false);
    await store.delete(key);
    expect(await rejectionOf(store.get(key))).toMatchObject({ code: 'ATTACHMENT_MISSING', status: 404 });
    expect(fake.requests.filter((r) => r.path === `/relais-pieces/${key}`).map((r) => r.method)).toEqual([
      'PUT',
      'GET',
      'DELETE',
      'DELETE',
      'GET',
    ]);
    expect(fake.requests.at(0)?.signedHeaders).toBe('content-type;host;x-amz-content-sha256;x-amz-date');
    expect(store.describe()).toBe(`S3 (${endpoint}/relais-pieces, région fr-par)`);
  });

  it('answers 503 FILE_STORAGE_UNAVAILABLE when the server refuses the signature', async () => {
    const error = await rejectionOf(s3Store('mauvais-secret').put(randomUUID(), Buffer.from('x')));
    expect(error).toMatchObject({
      code: 'FILE_STORAGE_UNAVAILABLE',
      status: 503,
      extensions: { storage: 'PUT 403 SignatureDoesNotMatch' },
    });
  });

  it('answers 503 FILE_STORAGE_UNAVAILABLE when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const store = createFileStore(
      {
        fileStorage: {
          kind: 's3',
          endpoint: `http://127.0.0.1:${port}`,
          bucket: 'b-1',
          accessKeyId: 'k',
          secretAccessKey: 's',
          region: 'fr-par',
        },
      },
      randomBytes(32),
    );
    expect(await rejectionOf(store.get(randomUUID()))).toMatchObject({ code: 'FILE_STORAGE_UNAVAILABLE', status: 503 });
  });

  it('does not open an object with another secret key', async () => {
    const key = randomUUID();
    await s3Store().put(key, Buffer.from('x'));
    expect(await rejectionOf(s3Store().get(key))).toMatchObject({ code: 'ATTACHMENT_UNREADABLE' });
  });
});
