import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Relais reads from the environment, with its French/English explanation. */
const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = z.url().optional();

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: optionalUrl,
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// / must start with postgres://')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    SECRET_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, '32 octets en base64 / 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SEED_DEMO: booleanFromEnv.default(true),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'doit commencer par smtp:// ou smtps:// / must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Relais <ne-pas-repondre@relais.localhost>'),
    OIDC_ISSUER: optionalUrl,
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_SCOPES: z.string().default('openid email given_name usual_name'),
    OIDC_LABEL: z.string().default('ProConnect'),
    OIDC_ALLOW_HTTP: booleanFromEnv.default(false),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(12),
    /** A closed request is archived after this many days without being reopened. */
    REQUESTS_ARCHIVE_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** An archived request's personal data and files are wiped after this many months (the skeleton stays for statistics). */
    REQUESTS_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
    INACTIVITY_DEACTIVATION_DAYS: z.coerce.number().int().min(7).max(3650).default(183),
    /** Months without activity after which a person file is anonymised (retention job). */
    PEOPLE_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
    VISIT_CORRECTION_HOURS: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 365)
      .default(72),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
    JOBS: booleanFromEnv.default(true),
    MAP_TILES_URL: z
      .string()
      .regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'modèle d’URL de tuiles avec {z}, {x} et {y} / tile URL template with {z}, {x}, {y}')
      .optional(),
    MAP_TILES_ATTRIBUTION: z.string().min(1).default('© les contributeurs d’OpenStreetMap'),
    SMS_PROVIDER_URL: z.url({ protocol: /^https?$/ }).optional(),
    SMS_PROVIDER_TOKEN: z.string().min(8).optional(),
    SMS_SENDER: z
      .string()
      .regex(/^[A-Za-z0-9]{1,11}$/, '1 à 11 lettres ou chiffres / 1 to 11 letters or digits')
      .default('Relais'),
    AIDANTS_CONNECT_URL: z.url({ protocol: /^https?$/ }).default('https://aidantsconnect.beta.gouv.fr/'),
    ATTACHMENT_MAX_MB: z.coerce.number().int().min(1).max(100).default(10),
    REQUEST_ATTACHMENTS_MAX_MB: z.coerce.number().int().min(1).max(1000).default(40),
    S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'nom de bucket S3 (3 à 63 minuscules, chiffres, points, tirets) / S3 bucket name')
      .optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_REGION: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'région en minuscules, par exemple fr-par / lower-case region, e.g. fr-par')
      .default('fr-par'),
    CLAMD_HOST: z.string().min(1).optional(),
    CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
    CLAMD_SOCKET: z.string().min(1).optional(),
    CLAMD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    /** Webhooks may target http:// and private, loopback or link-local addresses (tests, development only). */
    WEBHOOKS_ALLOW_PRIVATE: booleanFromEnv.default(false),
    WEBHOOKS_RETRY_DELAYS_SECONDS: z
      .string()
      .regex(/^\d{1,6}(,\d{1,6})*$/, 'secondes séparées par des virgules, par exemple 30,120,600 / comma-separated seconds')
      .default('30,120,600,3600,21600')
      .transform((v) => v.split(',').map(Number)),
    WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    WEBHOOKS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble / must be set together',
      });
    }
    if (env.SMS_PROVIDER_URL && !env.SMS_PROVIDER_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_PROVIDER_TOKEN'],
        message: 'obligatoire avec SMS_PROVIDER_URL / required with SMS_PROVIDER_URL',
      });
    }
    const s3 = [env.S3_ENDPOINT, env.S3_BUCKET, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY];
    if (s3.some(Boolean) && !s3.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_ENDPOINT'],
        message: 'S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble / must be set together',
      });
    }
    if (env.CLAMD_HOST && env.CLAMD_SOCKET) {
      ctx.addIssue({
        code: 'custom',
        path: ['CLAMD_SOCKET'],
        message: 'CLAMD_HOST ou CLAMD_SOCKET, pas les deux / CLAMD_HOST or CLAMD_SOCKET, not both',
      });
    }
    if (env.REQUEST_ATTACHMENTS_MAX_MB < env.ATTACHMENT_MAX_MB) {
      ctx.addIssue({
        code: 'custom',
        path: ['REQUEST_ATTACHMENTS_MAX_MB'],
        message: 'doit être au moins ATTACHMENT_MAX_MB / must be at least ATTACHMENT_MAX_MB',
      });
    }
    if (env.DATABASE_URL && !env.SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY'],
        message: 'obligatoire avec DATABASE_URL (openssl rand -base64 32) / required with DATABASE_URL',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
const MEGABYTE = 1024 * 1024;
const frenchErrors = z.locales.fr().localeError;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  requests: { archiveAfterDays: number; retentionMonths: number };
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };
  secretKey: Buffer;
  logLevel: Env['LOG_LEVEL'];
  seedDemo: boolean;
  mail: { smtpUrl?: string; from: string };
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    scopes: string;
    label: string;
    allowHttp: boolean;
  };
  sessionTtlMs: number;
  inactivityDeactivationDays: number;
  /** Months without activity after which the retention job anonymises a person file (PEOPLE_RETENTION_MONTHS). */
  peopleRetentionMonths: number;
  /** How long after logging a visit its agent may still correct it (VISIT_CORRECTION_HOURS). */
  visitCorrectionMs: number;
  bodyLimit: number;
  jobs: boolean;
  /** Public finder map: tile URL template, or none (the map is drawn without tiles, offline). */
  mapTiles: { url: string; attribution: string } | null;
  /** Text messages: an HTTP provider (SMS_PROVIDER_URL), or none (kept for the outbox page). */
  sms: { provider: { url: string; token: string } | null; sender: string };
  /** Aidants Connect, for procedures that need a FranceConnect mandate on the partner's site. */
  aidantsConnectUrl: string;
  /** Attachments: size limits, and where their encrypted bytes go (DATA_DIR/files, or S3 when configured). ADR 12. */
  files: {
    maxBytes: number;
    requestMaxBytes: number;
    fileStorage:
      | { kind: 'filesystem'; dir: string }
      | { kind: 's3'; endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string };
  };
  /** The antivirus hook: ClamAV's clamd when CLAMD_HOST or CLAMD_SOCKET is set, else none. */
  antivirus: { clamd: { host: string; port: number } | { socket: string } | null; timeoutMs: number };
  /** Partner webhooks: private addresses allowed (dev/tests), delay before each retry (the last one repeats), attempts, timeout. */
  webhooks: { allowPrivate: boolean; retryDelaysSeconds: number[]; maxAttempts: number; timeoutMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; throws ConfigError with one line per wrong variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  // French messages whether or not the app (which sets zod's locale) has been loaded yet.
  const parsed = envSchema.safeParse(raw, { error: frenchErrors });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environnement'} : ${i.message}`));
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const database: Config['database'] = env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
    : { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  const secretKey = env.SECRET_KEY ? Buffer.from(env.SECRET_KEY, 'base64') : loadOrCreateSecretKey(dataDir);
  const publicUrl = (env.PUBLIC_URL ?? `http://${displayHost(env.HOST)}:${env.PORT}`).replace(/\/$/, '');
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    dataDir,
    database,
    secretKey,
    logLevel: env.LOG_LEVEL,
    seedDemo: env.SEED_DEMO,
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            scopes: env.OIDC_SCOPES,
            label: env.OIDC_LABEL,
            allowHttp: env.OIDC_ALLOW_HTTP,
          }
        : undefined,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
    inactivityDeactivationDays: env.INACTIVITY_DEACTIVATION_DAYS,
    peopleRetentionMonths: env.PEOPLE_RETENTION_MONTHS,
    requests: { archiveAfterDays: env.REQUESTS_ARCHIVE_AFTER_DAYS, retentionMonths: env.REQUESTS_RETENTION_MONTHS },
    /** How long after logging a visit its agent may still correct it. */
    visitCorrectionMs: env.VISIT_CORRECTION_HOURS * 3600_000,
    mapTiles: env.MAP_TILES_URL ? { url: env.MAP_TILES_URL, attribution: env.MAP_TILES_ATTRIBUTION } : null,
    bodyLimit: env.BODY_LIMIT_BYTES,
    jobs: env.JOBS,
    sms: {
      provider: env.SMS_PROVIDER_URL && env.SMS_PROVIDER_TOKEN ? { url: env.SMS_PROVIDER_URL, token: env.SMS_PROVIDER_TOKEN } : null,
      sender: env.SMS_SENDER,
    },
    aidantsConnectUrl: env.AIDANTS_CONNECT_URL,
    files: {
      maxBytes: env.ATTACHMENT_MAX_MB * MEGABYTE,
      requestMaxBytes: env.REQUEST_ATTACHMENTS_MAX_MB * MEGABYTE,
      fileStorage:
        env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? {
              kind: 's3',
              endpoint: env.S3_ENDPOINT,
              bucket: env.S3_BUCKET,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              region: env.S3_REGION,
            }
          : { kind: 'filesystem', dir: join(dataDir, 'files') },
    },
    antivirus: {
      clamd: env.CLAMD_SOCKET ? { socket: env.CLAMD_SOCKET } : env.CLAMD_HOST ? { host: env.CLAMD_HOST, port: env.CLAMD_PORT } : null,
      timeoutMs: env.CLAMD_TIMEOUT_SECONDS * 1000,
    },
    webhooks: {
      allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE,
      retryDelaysSeconds: env.WEBHOOKS_RETRY_DELAYS_SECONDS,
      maxAttempts: env.WEBHOOKS_MAX_ATTEMPTS,
      timeoutMs: env.WEBHOOKS_TIMEOUT_SECONDS * 1000,
    },
  };
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

/** In embedded mode the quick start needs no setup: the key is generated once and kept in DATA_DIR. */
function loadOrCreateSecretKey(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) {
      throw new ConfigError([`${file} : clé invalide (32 octets en base64 attendus) / invalid key`]);
    }
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
