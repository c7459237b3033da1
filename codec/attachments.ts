// Attachments of e-mails that came in (issue 16), kept apart from Temporal (a dossier holds their
// names, types and sizes; the files are too large for a payload) and encrypted with the payload
// codec's key ring: AES-256-GCM, the key id and the attachment's id bound to the ciphertext. In a
// directory by default, or in S3-compatible object storage (codec/s3-blobs.ts), shared by the mail
// intake (writes), the API (reads) and the worker (destroys them with the dossier).
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

/** Where sealed attachments lie: opaque bytes by id. The sealing is the store's; this is only where. */
export interface SealedBlobs {
  write(id: string, sealed: Buffer): Promise<void>;
  /** The bytes, or undefined where there are none. */
  read(id: string): Promise<Buffer | undefined>;
  delete(id: string): Promise<void>;
}

/** Files in a directory, `<dir>/<id>`, each written whole and renamed into place: a reader never sees half a file. */
export function directoryBlobs(dir: string): SealedBlobs {
  const pathOf = (id: string) => join(dir, id);
  return {
    async write(id, sealed) {
      await mkdir(dir, { recursive: true });
      const partial = `${pathOf(id)}.${randomBytes(4).toString('hex')}.partial`;
      await writeFile(partial, sealed, { mode: 0o600 });
      await rename(partial, pathOf(id));
    },
    async read(id) {
      try {
        return await readFile(pathOf(id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async delete(id) {
      await rm(pathOf(id), { force: true });
    },
  };
}

/** The store over any blobs, each attachment `[key id length][key id][iv][ciphertext][tag]`. */
export function sealedAttachmentStore(blobs: SealedBlobs, ring: KeyRing): AttachmentStore {
  return {
    async put(id, content) {
      const { id: keyId, key } = ring.current;
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${keyId}:${checked(id)}`, 'utf8'));
      const keyIdBytes = Buffer.from(keyId, 'utf8');
      await blobs.write(id, Buffer.concat([Buffer.from([keyIdBytes.length]), keyIdBytes, iv, cipher.update(content), cipher.final(), cipher.getAuthTag()]));
    },
    async get(id) {
      const sealed = await blobs.read(checked(id));
      if (!sealed) return undefined;
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
      await blobs.delete(checked(id));
    },
  };
}

/** The store as files in a directory (the default). */
export const directoryAttachmentStore = (dir: string, ring: KeyRing): AttachmentStore => sealedAttachmentStore(directoryBlobs(dir), ring);
