import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'relais-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const KEY = randomBytes(32).toString('base64');
const OIDC = { OIDC_ISSUER: 'https://auth.exemple.fr', OIDC_CLIENT_ID: 'relais', OIDC_CLIENT_SECRET: 'secret' };

/** The ConfigError thrown for an environment, or a failure if none is thrown. */
function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('starts with sensible defaults: embedded database in DATA_DIR, port 3000 on localhost, no OIDC', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      env: 'production',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      dataDir: dir,
      database: { kind: 'pglite', dataDir: join(dir, 'pglite') },
      logLevel: 'info',
      seedDemo: true,
      mail: { smtpUrl: undefined, from: 'Relais <ne-pas-repondre@relais.localhost>' },
      oidc: undefined,
      sessionTtlMs: 12 * 3600_000,
      inactivityDeactivationDays: 183,
      visitCorrectionMs: 72 * 3600_000,
      bodyLimit: 1_000_000,
      jobs: true,
      mapTiles: null,
    });
    expect(config.secretKey).toHaveLength(32);
  });

  it('keeps SMS in the outbox by default and sends them through a provider given with its token', () => {
    expect(loadConfig({ DATA_DIR: dataDir() })).toMatchObject({
      sms: { provider: null, sender: 'Relais' },
      aidantsConnectUrl: 'https://aidantsconnect.beta.gouv.fr/',
    });
    const sms = { SMS_PROVIDER_URL: 'https://sms.exemple.fr/messages', SMS_PROVIDER_TOKEN: 'jeton-secret', SMS_SENDER: 'Perche61' };
    expect(loadConfig({ DATA_DIR: dataDir(), ...sms }).sms).toEqual({
      provider: { url: 'https://sms.exemple.fr/messages', token: 'jeton-secret' },
      sender: 'Perche61',
    });
    expect(configErrorOf({ SMS_PROVIDER_URL: 'https://sms.exemple.fr/messages' }).problems).toEqual([
      expect.stringMatching(/^SMS_PROVIDER_TOKEN : obligatoire avec SMS_PROVIDER_URL/),
    ]);
    expect(configErrorOf({ SMS_SENDER: 'Relais France Services' }).problems).toEqual([expect.stringMatching(/^SMS_SENDER/)]);
  });

  it('keeps attachments encrypted in DATA_DIR/files, up to 10 Mo each and 40 Mo per request, without antivirus, by default', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir })).toMatchObject({
      files: {
        maxBytes: 10 * 1024 * 1024,
        requestMaxBytes: 40 * 1024 * 1024,
        fileStorage: { kind: 'filesystem', dir: join(dir, 'files') },
      },
      antivirus: { clamd: null, timeoutMs: 30_000 },
    });
  });

  it('sends attachments to S3 and through clamd when configured, and wants the S3 variables together', () => {
    const s3 = {
      S3_ENDPOINT: 'https://s3.fr-par.scw.cloud',
      S3_BUCKET: 'relais-pieces',
      S3_ACCESS_KEY_ID: 'SCWKEY',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    const config = loadConfig({
      DATA_DIR: dataDir(),
      ...s3,
      ATTACHMENT_MAX_MB: '5',
      REQUEST_ATTACHMENTS_MAX_MB: '20',
      CLAMD_HOST: 'clamav.internal',
      CLAMD_TIMEOUT_SECONDS: '10',
    });
    expect(config).toMatchObject({
      files: {
        maxBytes: 5 * 1024 * 1024,
        requestMaxBytes: 20 * 1024 * 1024,
        fileStorage: {
          kind: 's3',
          endpoint: s3.S3_ENDPOINT,
          bucket: 'relais-pieces',
          accessKeyId: 'SCWKEY',
          secretAccessKey: 'secret',
          region: 'fr-par',
        },
      },
      antivirus: { clamd: { host: 'clamav.internal', port: 3310 }, timeoutMs: 10_000 },
    });
    expect(loadConfig({ DATA_DIR: dataDir(), CLAMD_SOCKET: '/run/clamav/clamd.ctl' }).antivirus.clamd).toEqual({
      socket: '/run/clamav/clamd.ctl',
    });
    expect(configErrorOf({ S3_ENDPOINT: s3.S3_ENDPOINT, S3_BUCKET: 'relais-pieces' }).problems).toEqual([
      expect.stringMatching(/^S3_ENDPOINT : S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble/),
    ]);
    expect(configErrorOf({ CLAMD_HOST: 'clamav', CLAMD_SOCKET: '/run/clamd.ctl' }).problems).toEqual([
      expect.stringMatching(/^CLAMD_SOCKET : CLAMD_HOST ou CLAMD_SOCKET, pas les deux/),
    ]);
    expect(configErrorOf({ ATTACHMENT_MAX_MB: '20', REQUEST_ATTACHMENTS_MAX_MB: '10' }).problems).toEqual([
      expect.stringMatching(/^REQUEST_ATTACHMENTS_MAX_MB : doit être au moins ATTACHMENT_MAX_MB/),
    ]);
    for (const [name, value] of [
      ['ATTACHMENT_MAX_MB', '0'],
      ['S3_ENDPOINT', 'ftp://s3.exemple.fr'],
      ['S3_BUCKET', 'Mon_Bucket'],
      ['S3_REGION', 'FR PAR'],
      ['CLAMD_PORT', '70000'],
      ['CLAMD_TIMEOUT_SECONDS', '0'],
    ] as const) {
      const extra = name.startsWith('S3_') ? { ...s3, [name]: value } : { [name]: value };
      expect(configErrorOf(extra).problems, name).toEqual([expect.stringMatching(new RegExp(`^${name} : \\S`))]);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: dataDir(),
      DATABASE_URL: 'postgresql://relais@db:5432/relais',
      DATABASE_POOL_SIZE: '20',
      SECRET_KEY: KEY,
      LOG_LEVEL: 'debug',
      SEED_DEMO: 'no',
      SMTP_URL: 'smtps://relais:mdp@smtp.exemple.fr:465',
      MAIL_FROM: 'Relais <relais@exemple.fr>',
      ...OIDC,
      OIDC_LABEL: 'Agent Connect',
      OIDC_ALLOW_HTTP: 'true',
      SESSION_TTL_HOURS: '8',
      INACTIVITY_DEACTIVATION_DAYS: '90',
      VISIT_CORRECTION_HOURS: '24',
      BODY_LIMIT_BYTES: '2048',
      JOBS: '0',
      MAP_TILES_URL: 'https://tuiles.exemple.fr/{z}/{x}/{y}.png',
      MAP_TILES_ATTRIBUTION: '© IGN',
    });
    expect(config).toMatchObject({
      env: 'development',
      port: 8080,
      publicUrl: 'http://localhost:8080',
      database: { kind: 'postgres', url: 'postgresql://relais@db:5432/relais', poolSize: 20 },
      logLevel: 'debug',
      seedDemo: false,
      mail: { smtpUrl: 'smtps://relais:mdp@smtp.exemple.fr:465', from: 'Relais <relais@exemple.fr>' },
      oidc: { issuer: OIDC.OIDC_ISSUER, clientId: 'relais', clientSecret: 'secret', label: 'Agent Connect', allowHttp: true },
      sessionTtlMs: 8 * 3600_000,
      inactivityDeactivationDays: 90,
      visitCorrectionMs: 24 * 3600_000,
      bodyLimit: 2048,
      jobs: false,
      mapTiles: { url: 'https://tuiles.exemple.fr/{z}/{x}/{y}.png', attribution: '© IGN' },
    });
    expect(config.secretKey.equals(Buffer.from(KEY, 'base64'))).toBe(true);
  });

  it('drops the trailing slash of PUBLIC_URL', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://relais.exemple.fr/' }).publicUrl).toBe('https://relais.exemple.fr');
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'pas une adresse'],
    ['DATABASE_URL', 'mysql://relais@db/relais'],
    ['DATABASE_POOL_SIZE', '0'],
    ['SECRET_KEY', 'trop-court'],
    ['LOG_LEVEL', 'verbose'],
    ['SEED_DEMO', 'peut-être'],
    ['SMTP_URL', 'http://smtp.exemple.fr'],
    ['MAIL_FROM', 'x'],
    ['OIDC_ISSUER', 'pas une adresse'],
    ['OIDC_ALLOW_HTTP', 'oui'],
    ['SESSION_TTL_HOURS', '0'],
    ['INACTIVITY_DEACTIVATION_DAYS', '3'],
    ['BODY_LIMIT_BYTES', '10'],
    ['JOBS', 'peut-être'],
    ['MAP_TILES_URL', 'https://tuiles.exemple.fr/carte.png'],
  ])('refuses %s=%j with a line naming the variable', (name, value) => {
    const extra = name === 'DATABASE_URL' ? { SECRET_KEY: KEY } : name === 'OIDC_ISSUER' ? { ...OIDC } : {};
    const error = configErrorOf({ ...extra, [name]: value });
    expect(error.message).toMatch(/^Configuration invalide \/ invalid configuration:\n/);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${name} : \\S`));
    expect(error.message).toContain(`  - ${name} : `);
  });

  it('explains a wrong value in French', () => {
    expect(configErrorOf({ PORT: 'abc' }).problems[0]).toBe('PORT : Entrée invalide : nombre attendu, NaN reçu');
  });

  it('lists every wrong variable at once', () => {
    const error = configErrorOf({ PORT: '-1', LOG_LEVEL: 'bavard', JOBS: 'x' });
    expect(error.problems.map((p) => p.split(' : ')[0]).sort()).toEqual(['JOBS', 'LOG_LEVEL', 'PORT']);
  });

  it('wants the three OIDC variables together', () => {
    for (const partial of [{ OIDC_ISSUER: OIDC.OIDC_ISSUER }, { OIDC_CLIENT_ID: 'relais', OIDC_CLIENT_SECRET: 'secret' }]) {
      const error = configErrorOf(partial);
      expect(error.problems).toEqual([
        'OIDC_ISSUER : OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble / must be set together',
      ]);
    }
    expect(loadConfig({ DATA_DIR: dataDir(), ...OIDC }).oidc).toMatchObject({ issuer: OIDC.OIDC_ISSUER, label: 'ProConnect' });
  });

  it('requires SECRET_KEY with DATABASE_URL, and then keeps no key file in DATA_DIR', () => {
    const error = configErrorOf({ DATABASE_URL: 'postgres://relais@db/relais' });
    expect(error.problems).toEqual([
      expect.stringMatching(/^SECRET_KEY : obligatoire avec DATABASE_URL .* \/ required with DATABASE_URL$/),
    ]);
    const dir = dataDir();
    loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://relais@db/relais', SECRET_KEY: KEY });
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });
});

describe('the embedded secret key', () => {
  it('is generated once in DATA_DIR, readable by its owner only, and reused', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).secretKey;
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);
    expect(loadConfig({ DATA_DIR: dir }).secretKey.equals(first)).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir() }).secretKey.equals(first)).toBe(false);
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const dir = join(dataDir(), 'a', 'b');
    loadConfig({ DATA_DIR: dir });
    expect(existsSync(join(dir, 'secret.key'))).toBe(true);
  });

  it('refuses a damaged key file with a ConfigError naming the file', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secret.key'), 'pas une clé\n');
    const error = configErrorOf({ DATA_DIR: dir });
    expect(error.problems).toEqual([expect.stringContaining(join(dir, 'secret.key'))]);
  });

  it('prefers SECRET_KEY over the file', () => {
    const dir = dataDir();
    loadConfig({ DATA_DIR: dir });
    expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: KEY }).secretKey.equals(Buffer.from(KEY, 'base64'))).toBe(true);
  });
});
