import { existsSync, readFileSync } from 'node:fs';
import addressparser from 'nodemailer/lib/addressparser';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { OidcSettings } from '../api/backoffice/oidc';
import { staffRoles } from '../domain/vocabulary';

const port = z.coerce.number().int().min(1).max(65535);
const optionalUrl = z.url().optional();

/** Every setting of SPEC §7, from the environment (and a `.env` file), validated once. */
export const configSchema = z.object({
  PORT: port.default(3000),
  KLACHTFLOW_DATA_DIR: z.string().min(1).default('./data'),
  KLACHTFLOW_TEMPORAL_PORT: port.default(7233),
  KLACHTFLOW_TEMPORAL_UI_PORT: port.default(8233),
  KLACHTFLOW_MAIL_SMTP_PORT: port.default(1025),
  KLACHTFLOW_MAIL_UI_PORT: port.default(1080),
  KLACHTFLOW_PROCEDURES_DIR: z.string().min(1).default('./procedures'),
  /** Where attachments of e-mails are kept, encrypted (default `<data dir>/attachments`): a directory every process shares. */
  KLACHTFLOW_ATTACHMENTS_DIR: z.string().min(1).optional(),
  /** Or S3-compatible object storage: the bucket (its presence chooses it), a key prefix, the region, another provider's endpoint. */
  KLACHTFLOW_ATTACHMENTS_S3_BUCKET: z.string().min(3).max(63).optional(),
  KLACHTFLOW_ATTACHMENTS_S3_PREFIX: z.string().max(512).default('attachments/'),
  KLACHTFLOW_ATTACHMENTS_S3_REGION: z.string().min(1).optional(),
  KLACHTFLOW_ATTACHMENTS_S3_ENDPOINT: z.url().optional(),
  /** `endpoint/bucket/key` addresses (most self-hosted stores); default: true with an endpoint, false for AWS. */
  KLACHTFLOW_ATTACHMENTS_S3_PATH_STYLE: z.enum(['true', 'false'], { error: 'KLACHTFLOW_ATTACHMENTS_S3_PATH_STYLE must be true or false' }).transform((v) => v === 'true').optional(),
  AWS_REGION: z.string().min(1).optional(),
  /** The IMAP mailboxes complaints are read from (issue 16): a YAML list; none where absent. */
  KLACHTFLOW_IMAP_FILE: z.string().min(1).optional(),
  /** The SMTP listener for complaints by e-mail (issue 16): its port, the address it listens on, the largest message, STARTTLS files. */
  KLACHTFLOW_MAIL_IN_PORT: port.default(2525),
  KLACHTFLOW_MAIL_IN_HOST: z.string().min(1).default('127.0.0.1'),
  KLACHTFLOW_MAIL_IN_MAX_MB: z.coerce.number().int().min(1).max(100).default(25),
  KLACHTFLOW_MAIL_IN_TLS_KEY: z.string().min(1).optional(),
  KLACHTFLOW_MAIL_IN_TLS_CERT: z.string().min(1).optional(),
  KLACHTFLOW_STAFF_FILE: z.string().min(1).optional(),
  KLACHTFLOW_INTAKE_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** Failed sign-ins per quarter hour from one address before 429 (against one complaint's links: 20). */
  KLACHTFLOW_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(50),
  KLACHTFLOW_WORKER_CACHE: z.coerce.number().int().min(2, 'KLACHTFLOW_WORKER_CACHE must be at least 2').default(100),
  PUBLIC_BASE_URL: optionalUrl,
  LINK_SECRET: z.string().min(32, 'LINK_SECRET must be at least 32 characters').optional(),
  /** The payload codec's key ring, `id:base64key` pairs oldest first; else the ring in `<data>/secrets.json`. */
  KLACHTFLOW_CODEC_KEYS: z.string().min(1).optional(),
  /** The Temporal UI's origin, the one origin the codec endpoint answers cross-origin (default: the embedded UI). */
  KLACHTFLOW_CODEC_CORS_ORIGIN: z.url().optional(),

  /** OpenID Connect sign-in for staff (all three, or none: the e-mailed link alone). */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Per role the groups that give it, as JSON: {"handler":["<group id>"],"manager":["…"],"director":["…"]}. */
  OIDC_ROLE_GROUPS: z.string().min(2).optional(),
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
  OIDC_LABEL: z.string().min(1).default('uw organisatie'),

  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().min(3).default('klachtflow <klachten@klachtflow.local>'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
}).refine((c) => !(c.KLACHTFLOW_ATTACHMENTS_DIR && c.KLACHTFLOW_ATTACHMENTS_S3_BUCKET), {
  path: ['KLACHTFLOW_ATTACHMENTS_S3_BUCKET'],
  message: 'attachments go to a directory or to a bucket, not both: set KLACHTFLOW_ATTACHMENTS_DIR or KLACHTFLOW_ATTACHMENTS_S3_BUCKET',
});
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads `.env` (if present) into the environment, then validates; the error names each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = resolve('.env')): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(blankless);
  if (!result.success) {
    throw new ConfigError(
      'invalid configuration: ' + result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

/**
 * The origins whose browsers may call the codec endpoint: KLACHTFLOW_CODEC_CORS_ORIGIN, else the
 * embedded Temporal UI by both its names (a browser sends the one typed in the address bar).
 */
export function codecOrigins(config: Config, embeddedUiUrl?: string): string[] {
  if (config.KLACHTFLOW_CODEC_CORS_ORIGIN) return [new URL(config.KLACHTFLOW_CODEC_CORS_ORIGIN).origin];
  if (!embeddedUiUrl) return [];
  const ui = new URL(embeddedUiUrl);
  return [`http://localhost:${ui.port}`, `http://127.0.0.1:${ui.port}`];
}

export const publicBaseUrl = (config: Config): string =>

  (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

/** OIDC_ROLE_GROUPS: per role, one or more group ids. */
export const roleGroupsSchema = z.partialRecord(z.enum(staffRoles), z.array(z.string().min(1)).min(1));

/** The OpenID Connect settings, where configured; the error names what is missing or wrong. */
export function oidcSettings(config: Config): OidcSettings | undefined {
  const given = [config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET, config.OIDC_ROLE_GROUPS];
  if (given.every((v) => v === undefined)) return undefined;
  if (given.some((v) => v === undefined)) throw new ConfigError('invalid configuration: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLE_GROUPS go together: set all four or none');
  let roleGroups: unknown;
  try {
    roleGroups = JSON.parse(config.OIDC_ROLE_GROUPS!);
  } catch {
    throw new ConfigError('invalid configuration: OIDC_ROLE_GROUPS: not JSON; write {"handler":["<group id>"],"manager":["<group id>"]}');
  }
  const parsed = roleGroupsSchema.safeParse(roleGroups);
  if (!parsed.success) throw new ConfigError(`invalid configuration: OIDC_ROLE_GROUPS: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  return {
    issuer: config.OIDC_ISSUER!,
    clientId: config.OIDC_CLIENT_ID!,
    clientSecret: config.OIDC_CLIENT_SECRET!,
    roleGroups: parsed.data,
    groupsClaim: config.OIDC_GROUPS_CLAIM,
    emailClaim: config.OIDC_EMAIL_CLAIM,
    label: config.OIDC_LABEL,
  };
}

/** `{ oidc }` for the app's dependencies where OpenID Connect is configured, else nothing. */
export function oidcOption(config: Config): { oidc?: OidcSettings } {
  const oidc = oidcSettings(config);
  return oidc ? { oidc } : {};
}

/** The address in MAIL_FROM ("klachtflow <klachten@klachtflow.local>" → klachten@klachtflow.local): where bounces come back to. */
export function mailFromAddress(mailFrom: string): string {
  const [first] = addressparser(mailFrom, { flatten: true });
  return (first?.address ?? mailFrom).toLowerCase();
}

/** The SMTP listener's settings from the configuration: STARTTLS needs both files or neither. */
export function mailInOptions(config: Config): { port: number; host: string; maxBytes: number; tls?: { key: Buffer; cert: Buffer } } {
  const { KLACHTFLOW_MAIL_IN_TLS_KEY: key, KLACHTFLOW_MAIL_IN_TLS_CERT: cert } = config;
  if (Boolean(key) !== Boolean(cert)) throw new ConfigError('invalid configuration: KLACHTFLOW_MAIL_IN_TLS_KEY and KLACHTFLOW_MAIL_IN_TLS_CERT go together (both files, or neither)');
  return {
    port: config.KLACHTFLOW_MAIL_IN_PORT,
    host: config.KLACHTFLOW_MAIL_IN_HOST,
    maxBytes: config.KLACHTFLOW_MAIL_IN_MAX_MB * 1024 * 1024,
    ...(key && cert ? { tls: { key: readFileSync(key), cert: readFileSync(cert) } } : {}),
  };
}
