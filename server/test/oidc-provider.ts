import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';

/**
 * A real OpenID provider (the `oidc-provider` package) for API tests, shaped like ProConnect:
 * authorization code with PKCE required, client_secret_post, signed (application/jwt) userinfo,
 * the scopes openid email given_name usual_name siret. Tests sign in without a browser: the
 * interaction page is a tiny form endpoint that logs the chosen account in and grants consent.
 */

/** An identity the provider knows; `sub` is its opaque ProConnect-like identifier. */
export interface TestIdentity {
  sub: string;
  email: string;
  email_verified?: boolean;
  given_name?: string;
  usual_name?: string;
  siret?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Identities by `sub`; tests add and change them freely. */
  identities: Map<string, TestIdentity>;
  /** The content type of each userinfo answer, oldest first (application/jwt, as at ProConnect). */
  userinfoContentTypes: string[];
  /** The environment the app under test needs to use this provider. */
  appEnv(): Record<string, string>;
  /** Adds an identity and returns its `sub`. */
  addIdentity(identity: Omit<TestIdentity, 'sub'> & { sub?: string }): string;
  /** Starts listening on the reserved port with the app's callback URL registered. */
  start(redirectUri: string): Promise<void>;
  /**
   * Plays the browser at the provider: follows its redirects from the authorization URL, signs in
   * as `sub` at the interaction step, and returns the URL the provider sends the browser back to.
   */
  authorize(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
}

/** A port nobody listens on right now: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// oidc-provider ships no type declarations; these are the few members the tests use.
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
interface InteractionDetails {
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: Record<string, string>;
  grantId?: string;
  session?: { accountId?: string };
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: unknown,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => Provider;

const moduleName = 'oidc-provider';

type Stored = Record<string, unknown>;
/** A storage adapter of the provider's own, kept per test provider (tests outlive no token's expiry). */
function memoryAdapter() {
  const store = new Map<string, Stored>();
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    private findBy(field: string, value: string) {
      for (const [key, payload] of store) if (key.startsWith(`${this.model}:`) && payload[field] === value) return payload;
      return undefined;
    }
    async upsert(id: string, payload: Stored) {
      store.set(this.key(id), { ...payload });
    }
    async find(id: string) {
      return store.get(this.key(id));
    }
    async findByUid(uid: string) {
      return this.findBy('uid', uid);
    }
    async findByUserCode(userCode: string) {
      return this.findBy('userCode', userCode);
    }
    async consume(id: string) {
      const payload = store.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, payload] of store) if (payload.grantId === grantId) store.delete(key);
    }
  };
}

export async function createOidcProvider(): Promise<TestOidcProvider> {
  const { default: ProviderCtor } = (await import(moduleName)) as { default: ProviderClass };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = `relais-test-${randomUUID().slice(0, 8)}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const identities = new Map<string, TestIdentity>();
  const userinfoContentTypes: string[] = [];
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
  let server: Server | null = null;

  const readForm = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return new URLSearchParams(body);
  };

  /** POST /interaction/:uid with login=<sub>: signs the account in and grants what was asked. */
  const interaction = async (provider: Provider, req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    const details = await provider.interactionDetails(req, res);
    const accountId = details.prompt.name === 'login' ? form.get('login') : details.session?.accountId;
    if (!accountId || !identities.has(accountId)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`unknown account ${accountId}`);
      return;
    }
    const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(details.params.scope ?? 'openid');
    if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    const result = details.prompt.name === 'login' ? { login: { accountId }, consent: { grantId } } : { consent: { grantId } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: details.prompt.name !== 'login' });
  };

  const self: TestOidcProvider = {
    issuer,
    clientId,
    clientSecret,
    identities,
    userinfoContentTypes,
    appEnv: () => ({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_ALLOW_HTTP: 'true' }),
    addIdentity(identity) {
      const sub = identity.sub ?? randomBytes(16).toString('hex');
      identities.set(sub, { ...identity, sub });
      return sub;
    },

    async start(redirectUri) {
      const provider = new ProviderCtor(issuer, {
        adapter: memoryAdapter(),
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            post_logout_redirect_uris: [redirectUri.replace('/api/auth/oidc/callback', '/connexion')],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
            id_token_signed_response_alg: 'RS256',
            userinfo_signed_response_alg: 'RS256',
          },
        ],
        jwks: { keys: [signingKey] },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          given_name: ['given_name'],
          usual_name: ['usual_name'],
          siret: ['siret'],
        },
        features: { devInteractions: { enabled: false }, jwtUserinfo: { enabled: true } },
        pkce: { required: () => true },
        interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
        async findAccount(_ctx: unknown, sub: string) {
          const identity = identities.get(sub);
          if (!identity) return undefined;
          return { accountId: sub, claims: async () => ({ ...identity }) };
        },
        renderError(ctx: { type: string; body: unknown }, out: unknown) {
          ctx.type = 'json';
          ctx.body = out;
        },
        clientBasedCORS: () => false,
        ttl: { AccessToken: 60, AuthorizationCode: 30, IdToken: 60, Interaction: 600, Session: 3600, Grant: 3600 },
      });
      const handle = provider.callback();
      server = createServer((req, res) => {
        if (req.method === 'POST' && req.url?.startsWith('/interaction/')) {
          interaction(provider, req, res).catch((error: Error) => {
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(String(error?.stack ?? error));
          });
          return;
        }
        if (req.url === '/me') res.on('finish', () => userinfoContentTypes.push(String(res.getHeader('content-type'))));
        handle(req, res);
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', resolve);
      });
    },

    async authorize(authorizationUrl, sub) {
      const jar = new Map<string, string>();
      const send = async (url: URL, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
        const res = await fetch(url, { ...init, headers, redirect: 'manual' });
        for (const cookie of res.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const index = pair!.indexOf('=');
          const name = pair!.slice(0, index).trim();
          const value = pair!.slice(index + 1);
          if (!value || /expires=thu, 01 jan 1970/i.test(cookie)) jar.delete(name);
          else jar.set(name, value);
        }
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || !location) {
          throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${await res.text()}`);
        }
        await res.body?.cancel();
        return new URL(location, url);
      };
      let next = await send(new URL(authorizationUrl));
      for (let step = 0; step < 10; step++) {
        if (next.origin !== issuer) return next;
        if (next.pathname.startsWith('/interaction/')) {
          next = await send(next, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ login: sub }).toString(),
          });
        } else {
          next = await send(next);
        }
      }
      throw new Error('the provider kept redirecting');
    },

    async close() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    },
  };
  return self;
}
