import { createHash, createHmac } from 'node:crypto';
import { AppError } from '../errors.ts';
import { assertKey, attachmentMissing } from './keys.ts';
import type { RawStore } from './store.ts';

export interface S3Settings {
  /** e.g. https://s3.fr-par.scw.cloud or http://127.0.0.1:9000 (path-style: <endpoint>/<bucket>/<key>). */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const encodeRfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * AWS Signature Version 4 for one S3 request (header-based, signed payload). Returns the headers to
 * send: the given ones plus host, x-amz-date, x-amz-content-sha256 and authorization.
 */
export function signS3Request(
  request: { method: string; url: URL; headers?: Record<string, string>; payloadHash: string },
  credentials: { accessKeyId: string; secretAccessKey: string; region: string },
  now: Date,
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')])),
    host: request.url.host,
    'x-amz-content-sha256': request.payloadHash,
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const canonicalQuery = [...request.url.searchParams]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)])
    .sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : x! > y! ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // S3 paths are encoded once, segment by segment (URL has already encoded what must be).
  const canonicalPath = request.url.pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    names.join(';'),
    request.payloadHash,
  ].join('\n');
  const scope = `${day}/${credentials.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = ['s3', 'aws4_request'].reduce<Buffer>(
    (key, part) => hmac(key, part),
    hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), credentials.region),
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

const unavailable = (detail: string) =>
  new AppError(
    'FILE_STORAGE_UNAVAILABLE',
    503,
    'Le stockage des pièces jointes ne répond pas correctement. Réessayez dans quelques minutes ; si cela dure, prévenez l’administrateur.',
    undefined,
    { storage: detail },
  );

/** Objects `<key>` in one bucket of an S3-compatible service (Scaleway, OVHcloud, Outscale, MinIO, Garage…). */
export function createS3Store(settings: S3Settings): RawStore {
  const base = settings.endpoint.replace(/\/+$/, '');
  const timeoutMs = settings.timeoutMs ?? 30_000;

  async function send(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer): Promise<Response> {
    assertKey(key);
    const url = new URL(`${base}/${encodeRfc3986(settings.bucket)}/${key}`);
    const payload = body ?? Buffer.alloc(0);
    const headers = signS3Request(
      { method, url, headers: body ? { 'content-type': 'application/octet-stream' } : {}, payloadHash: sha256Hex(payload) },
      settings,
      new Date(),
    );
    delete headers.host; // fetch sets it from the URL
    try {
      return await fetch(url, { method, headers, body: body ? new Uint8Array(body) : undefined, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw unavailable(`${method} ${(error as Error).name}: ${(error as Error).message}`);
    }
  }

  async function failure(method: string, response: Response): Promise<AppError> {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    return unavailable(`${method} ${response.status}${code ? ` ${code}` : ''}`);
  }

  return {
    async put(key, data) {
      const response = await send('PUT', key, data);
      if (!response.ok) throw await failure('PUT', response);
      await response.body?.cancel();
    },
    async get(key) {
      const response = await send('GET', key);
      if (response.status === 404) {
        await response.body?.cancel();
        throw attachmentMissing();
      }
      if (!response.ok) throw await failure('GET', response);
      return Buffer.from(await response.arrayBuffer());
    },
    async delete(key) {
      const response = await send('DELETE', key);
      if (!response.ok && response.status !== 404) throw await failure('DELETE', response);
      await response.body?.cancel();
    },
    describe: () => `S3 (${base}/${settings.bucket}, région ${settings.region})`,
  };
}
