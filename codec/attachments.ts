// Attachments of e-mails that came in (issue 16), kept apart from Temporal (a dossier holds their
// names, types and sizes; the files are too large for a payload) and encrypted with the payload
// codec's key ring: AES-256-GCM, the key id and the attachment's id bound to the ciphertext. A
// directory by default, shared by the mail intake (writes), the API (reads) and the worker
// (destroys them with the dossier).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyRing } from './key-ring';

export interface AttachmentStore {
  put(id: string, content: Buffer): Promise<void>;
  /** The attachment's content, or undefined where there is none (never stored, or destroyed). */
  get(id: string): Promise<Buffer | undefined>;
  remove(id: string): Promise<void>;
}

/** An attachment's id: 32 hex digits, made from its message's id and its place in it (the same message twice, the same ids). */
export const attachmentIdPattern = /^[0-9a-f]{32}$/;
const ivBytes = 12;
const tagBytes = 16;

const checked = (id: string): string => {
  if (!attachmentIdPattern.test(id)) throw new Error('not an attachment id');
  return id;
};

/** The store as files in a directory: `<dir>/<id>`, each `[key id length][key id][iv][ciphertext][tag]`. */
export function directoryAttachmentStore(dir: string, ring: KeyRing): AttachmentStore {
  const pathOf = (id: string) => join(dir, checked(id));
  return {
    async put(id, content) {
      const { id: keyId, key } = ring.current;
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${keyId}:${id}`, 'utf8'));
      const keyIdBytes = Buffer.from(keyId, 'utf8');
      const sealed = Buffer.concat([Buffer.from([keyIdBytes.length]), keyIdBytes, iv, cipher.update(content), cipher.final(), cipher.getAuthTag()]);
      await mkdir(dir, { recursive: true });
      // Whole or not at all: a reader never sees half a file.
      const partial = `${pathOf(id)}.${randomBytes(4).toString('hex')}.partial`;
      await writeFile(partial, sealed, { mode: 0o600 });
      await rename(partial, pathOf(id));
    },
    async get(id) {
      let sealed: Buffer;
      try {
        sealed = await readFile(pathOf(id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      const keyIdLength = sealed[0]!;
      const keyId = sealed.subarray(1, 1 + keyIdLength).toString('utf8');
      const key = ring.byId.get(keyId);
      if (!key) throw new Error(`attachment encrypted with key ${keyId}, which is not in this process's key ring`);
      const body = sealed.subarray(1 + keyIdLength);
      const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(`${keyId}:${id}`, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - tagBytes));
      return Buffer.concat([decipher.update(body.subarray(ivBytes, body.length - tagBytes)), decipher.final()]);
    },
    async remove(id) {
      await rm(pathOf(id), { force: true });
    },
  };
}
