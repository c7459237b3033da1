// The codec's keys: the newest encrypts, every listed one decrypts. Losing every key loses every
// dossier, so the ring is backed up with the data directory (README, "Keys").
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const codecKeySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id is 1–64 letters, digits, dots, dashes or underscores'),
  /** 32 bytes, base64 or base64url. */
  key: z.string().refine((value) => Buffer.from(value, 'base64').length === 32, 'a key is 32 bytes, base64-encoded (44 characters)'),
  createdAt: z.iso.datetime().optional(),
});
export type CodecKey = z.infer<typeof codecKeySchema>;

/** Oldest first: rotation appends. */
export const keyRingSchema = z.array(codecKeySchema).min(1, 'the key ring holds at least one key');

export interface KeyRing {
  /** The key new payloads are encrypted with: the last in the list. */
  current: { id: string; key: Buffer };
  byId: ReadonlyMap<string, Buffer>;
}

export function keyRing(keys: readonly CodecKey[]): KeyRing {
  const parsed = keyRingSchema.parse(keys);
  const byId = new Map<string, Buffer>();
  for (const { id, key } of parsed) {
    if (byId.has(id)) throw new Error(`the key ring lists key id ${id} twice`);
    byId.set(id, Buffer.from(key, 'base64'));
  }
  const newest = parsed[parsed.length - 1]!;
  return { current: { id: newest.id, key: byId.get(newest.id)! }, byId };
}

/** A new key, its id made from the date and random letters (never from the key). */
export function newCodecKey(now = new Date()): CodecKey {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return { id: `k${day}-${randomBytes(3).toString('hex')}`, key: randomBytes(32).toString('base64'), createdAt: now.toISOString() };
}

/**
 * `KLACHTFLOW_CODEC_KEYS`: `id:base64key` pairs separated by commas, oldest first (the last
 * encrypts). The error names the entry and the rule, never the key.
 */
export function parseCodecKeys(value: string): CodecKey[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const at = entry.indexOf(':');
      const candidate = { id: at > 0 ? entry.slice(0, at) : '', key: at > 0 ? entry.slice(at + 1) : '' };
      const parsed = codecKeySchema.safeParse(candidate);
      if (!parsed.success) {
        throw new Error(`KLACHTFLOW_CODEC_KEYS entry ${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')} (write id:base64key)`);
      }
      return parsed.data;
    });
}
