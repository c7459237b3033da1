import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { Config } from './env';

// Secrets made on first start live in the data directory, readable by the owner only.
const secretsSchema = z.object({ linkSecret: z.string().min(32), devStaffToken: z.string().min(32) });
type Secrets = z.infer<typeof secretsSchema>;

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

function dataSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    throw new Error(`${file}: not a klachtflow secrets file; remove it to have new secrets made`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { linkSecret: randomBytes(32).toString('base64url'), devStaffToken: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

export function linkSecret(config: Config): string {
  return config.LINK_SECRET ?? dataSecrets(config.KLACHTFLOW_DATA_DIR).linkSecret;
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
