import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

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

  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().min(3).default('klachtflow <klachten@klachtflow.local>'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
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
