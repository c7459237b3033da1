import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { type CodecKey, codecKeySchema, keyRing, type KeyRing, newCodecKey, parseCodecKeys } from '../codec/key-ring';
import { type AttachmentStore, directoryAttachmentStore, sealedAttachmentStore } from '../codec/attachments';
import { s3Blobs } from '../codec/s3-blobs';
import type { Config } from './env';

// Secrets made on first start live in the data directory, readable by the owner only.
const secretsSchema = z.object({
  linkSecret: z.string().min(32),
  devStaffToken: z.string().min(32),
  /** The payload codec's key ring, oldest first (added to older files on their first start with the codec). */
  codecKeys: z.array(codecKeySchema).min(1).optional(),
});
type Secrets = z.infer<typeof secretsSchema>;

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

const secretsFile = (dataDir: string): string => join(dataDir, 'secrets.json');

/** Written whole and renamed into place: a reader never sees half a file. */
function writeSecrets(file: string, secrets: Secrets): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
}

function dataSecrets(dataDir: string): Secrets {
  const file = secretsFile(dataDir);
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    throw new Error(`${file}: not a klachtflow secrets file (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { linkSecret: randomBytes(32).toString('base64url'), devStaffToken: randomBytes(24).toString('base64url'), codecKeys: [newCodecKey()] };
  writeSecrets(file, secrets);
  return secrets;
}

export function linkSecret(config: Config): string {
  return config.LINK_SECRET ?? dataSecrets(config.KLACHTFLOW_DATA_DIR).linkSecret;
}

/** The codec's keys: `KLACHTFLOW_CODEC_KEYS`, or the ring in the data directory's secrets (made there on first start). */
export function codecKeys(config: Config): CodecKey[] {
  if (config.KLACHTFLOW_CODEC_KEYS) return parseCodecKeys(config.KLACHTFLOW_CODEC_KEYS);
  const secrets = dataSecrets(config.KLACHTFLOW_DATA_DIR);
  if (secrets.codecKeys) return secrets.codecKeys;
  // A data directory from before the codec: its first key is added now, and kept.
  const withKey = { ...secrets, codecKeys: [newCodecKey()] };
  writeSecrets(secretsFile(config.KLACHTFLOW_DATA_DIR), withKey);
  return withKey.codecKeys;
}

export const codecKeyRing = (config: Config): KeyRing => keyRing(codecKeys(config));

/**
 * Where the attachments of e-mails that came in are kept, encrypted with the key ring: shared by the
 * mail intake, the API and the worker. A bucket where one is named, else a directory.
 */
export function attachmentStore(config: Config, ring: KeyRing): AttachmentStore {
  const bucket = config.KLACHTFLOW_ATTACHMENTS_S3_BUCKET;
  if (!bucket) return directoryAttachmentStore(config.KLACHTFLOW_ATTACHMENTS_DIR ?? join(config.KLACHTFLOW_DATA_DIR, 'attachments'), ring);
  const endpoint = config.KLACHTFLOW_ATTACHMENTS_S3_ENDPOINT;
  const blobs = s3Blobs({
    bucket,
    prefix: config.KLACHTFLOW_ATTACHMENTS_S3_PREFIX,
    region: config.KLACHTFLOW_ATTACHMENTS_S3_REGION ?? config.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: config.KLACHTFLOW_ATTACHMENTS_S3_PATH_STYLE ?? endpoint !== undefined,
  });
  return sealedAttachmentStore(blobs, ring);
}

/**
 * `klachtflow keys rotate`: a new key that encrypts from the next start on; the old ones stay and
 * keep decrypting. With `KLACHTFLOW_CODEC_KEYS` the new entry is returned for the operator to append.
 */
export function rotateCodecKey(config: Config): { key: CodecKey; stored?: string } {
  const key = newCodecKey();
  if (config.KLACHTFLOW_CODEC_KEYS) return { key };
  const secrets = dataSecrets(config.KLACHTFLOW_DATA_DIR);
  const file = secretsFile(config.KLACHTFLOW_DATA_DIR);
  writeSecrets(file, { ...secrets, codecKeys: [...(secrets.codecKeys ?? []), key] });
  return { key, stored: file };
}

export interface StaffFileSetup {
  path: string;
  /** The development token, when the staff file is the one made on first start. */
  devToken?: string;
}

/** `KLACHTFLOW_STAFF_FILE`, or a file made on first start holding one all-roles member. */
export function staffFile(config: Config): StaffFileSetup {
  if (config.KLACHTFLOW_STAFF_FILE) return { path: resolve(config.KLACHTFLOW_STAFF_FILE) };
  const path = resolve(config.KLACHTFLOW_DATA_DIR, 'staff.yaml');
  const { devStaffToken } = dataSecrets(config.KLACHTFLOW_DATA_DIR);
  if (!existsSync(path)) {
    const staff = [
      {
        id: 'beheer',
        name: 'Klachtenbeheer',
        email: 'klachten@klachtflow.local',
        roles: ['handler', 'manager', 'director'],
        tokenSha256: sha256Hex(devStaffToken),
      },
    ];
    writeFileSync(path, stringify(staff), { mode: 0o600 });
  }
  return { path, devToken: devStaffToken };
}
