// The payload codec (SPEC §5): every payload Temporal stores is AES-256-GCM ciphertext of the
// whole payload (its metadata too), with the id of the key it was encrypted with beside it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';

export const encryptedEncoding = 'binary/encrypted';
const keyIdField = 'encryption-key-id';
const ivBytes = 12;
const tagBytes = 16;
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
/** Synchronous crypto (fast for small payloads) behind the codec's promise: a throw becomes a rejection. */
const settled = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return settled(() => payloads.map((payload) => this.seal(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return settled(() => payloads.map((payload) => this.open(payload)));
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.ring.current;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is bound to the ciphertext: a payload cannot be passed off as another key's.
    cipher.setAAD(utf8(id));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: utf8(encryptedEncoding), [keyIdField]: utf8(id) }, data };
  }

  private open(payload: Payload): Payload {
    // Payloads written before the codec (recorded histories, older runs) are read as they are.
    if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== encryptedEncoding) return payload;
    const id = Buffer.from(payload.metadata?.[keyIdField] ?? []).toString();
    const key = this.ring.byId.get(id);
    if (!key) throw new ValueError(`payload encrypted with key ${id || '(none)'}, which is not in this process's key ring`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < ivBytes + tagBytes) throw new ValueError(`payload of key ${id} is too short to be ciphertext`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
    decipher.setAAD(utf8(id));
    decipher.setAuthTag(data.subarray(data.length - tagBytes));
    const plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
