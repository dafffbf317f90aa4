import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './target.ts';

/**
 * `X-Relais-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: the
 * receiver recomputes it over the raw body and compares in constant time, and refuses an old `t`.
 */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A DNS lookup that answers with the addresses already checked by resolveWebhookTarget. Without
 * it, the HTTP client would resolve the name a second time, and a hostile DNS server could answer
 * a public address to the check and 127.0.0.1 to the connection (DNS rebinding). The URL keeps
 * its host name, so the Host header and TLS (SNI, certificate name) are those of the partner.
 */
function pinnedLookup(addresses: ResolvedTarget['addresses']): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' ? options.family : undefined;
    const usable = addresses.filter((a) => !family || family === a.family || family === `IPv${a.family}`);
    const list = usable.length ? usable : addresses;
    if (typeof options === 'object' && options.all) (callback as (e: null, a: typeof list) => void)(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  };
}

export interface PostResult {
  /** The HTTP status, or null when no answer came (refused connection, timeout, TLS error). */
  status: number | null;
  /** The beginning of an error answer's body, or what went wrong. */
  error: string | null;
}

const ERROR_TEXT = 500;

/** POSTs the body once: no redirect followed, the answer's body ignored but for an error's first 500 characters. */
export function postWebhook(target: ResolvedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      req.destroy();
    };
    const req = client.request(
      target.url,
      {
        method: 'POST',
        agent: false,
        lookup: pinnedLookup(target.addresses),
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Relais-Webhooks/1' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return done({ status, error: null });
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.length >= ERROR_TEXT) finish();
        });
        const finish = () => {
          const location = status >= 300 && status < 400 ? res.headers.location : undefined;
          const prefix = location ? `Redirection vers ${location} non suivie. ` : '';
          done({ status, error: `${prefix}${text}`.slice(0, ERROR_TEXT) || `Réponse HTTP ${status}` });
        };
        res.on('end', finish);
        res.on('error', finish);
        res.on('close', finish);
      },
    );
    const timer = setTimeout(() => done({ status: null, error: `Pas de réponse en ${timeoutMs / 1000} s` }), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ status: null, error: describeError(err) }));
    req.end(body);
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  const known: Record<string, string> = {
    ECONNREFUSED: 'Connexion refusée',
    ECONNRESET: 'Connexion interrompue',
    ETIMEDOUT: 'Délai de connexion dépassé',
    EHOSTUNREACH: 'Serveur injoignable',
    ENETUNREACH: 'Réseau injoignable',
  };
  return (err.code && known[err.code]) ?? `Erreur réseau : ${err.message}`.slice(0, ERROR_TEXT);
}
