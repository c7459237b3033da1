import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, encryptedEncoding, keyRing, newCodecKey, parseCodecKeys } from '../../codec';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const dossierPayload = () => defaultPayloadConverter.toPayload({ complainant: { name: 'Zoë de Vries', email: 'zoe@example.nl' }, description: 'Geheim 4711' });

describe('the payload codec', () => {
  const first = newCodecKey(new Date('2026-01-05T00:00:00Z'));
  const second = newCodecKey(new Date('2026-07-06T00:00:00Z'));

  it('encrypts the whole payload, metadata and all, and names the key it used', async () => {
    const codec = new EncryptionCodec(keyRing([first]));
    const [sealed] = await codec.encode([dossierPayload()]);
    expect(text(sealed!.metadata!.encoding)).toBe(encryptedEncoding);
    expect(text(sealed!.metadata!['encryption-key-id'])).toBe(first.id);
    expect(Object.keys(sealed!.metadata!)).toEqual(['encoding', 'encryption-key-id']);
    const raw = Buffer.from(sealed!.data!);
    for (const secret of ['Zoë', 'zoe@example.nl', 'Geheim', 'json/plain']) expect(raw.includes(Buffer.from(secret))).toBe(false);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ complainant: { name: 'Zoë de Vries', email: 'zoe@example.nl' }, description: 'Geheim 4711' });
  });

  it('encrypts each payload anew: the same dossier twice is two different ciphertexts', async () => {
    const codec = new EncryptionCodec(keyRing([first]));
    const [a, b] = await codec.encode([dossierPayload(), dossierPayload()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('encrypts with the newest key and decrypts with every key of the ring', async () => {
    const [old] = await new EncryptionCodec(keyRing([first])).encode([dossierPayload()]);
    const rotated = new EncryptionCodec(keyRing([first, second]));
    const [fresh] = await rotated.encode([dossierPayload()]);
    expect(text(fresh!.metadata!['encryption-key-id'])).toBe(second.id);
    const opened = await rotated.decode([old!, fresh!]);
    expect(opened.map((p) => defaultPayloadConverter.fromPayload<{ description: string }>(p).description)).toEqual(['Geheim 4711', 'Geheim 4711']);
  });

  it('refuses a payload of a key it does not hold, naming the key id', async () => {
    const [sealed] = await new EncryptionCodec(keyRing([first])).encode([dossierPayload()]);
    await expect(new EncryptionCodec(keyRing([second])).decode([sealed!])).rejects.toThrow(`payload encrypted with key ${first.id}, which is not in this process's key ring`);
  });

  it('refuses a tampered ciphertext, and one relabelled with another key id', async () => {
    const ring = keyRing([first, second]);
    const codec = new EncryptionCodec(ring);
    const [sealed] = await new EncryptionCodec(keyRing([first])).encode([dossierPayload()]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toThrow();
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from(second.id) } };
    await expect(codec.decode([relabelled])).rejects.toThrow();
  });

  it('reads payloads from before the codec as they are', async () => {
    const plain = dossierPayload();
    await expect(new EncryptionCodec(keyRing([first])).decode([plain])).resolves.toEqual([plain]);
  });
});

describe('the key ring from KLACHTFLOW_CODEC_KEYS', () => {
  it('takes id:key pairs, oldest first, the last encrypting', () => {
    const [a, b] = [newCodecKey(), newCodecKey()];
    const ring = keyRing(parseCodecKeys(`${a.id}:${a.key}, ${b.id}:${b.key}`));
    expect(ring.current.id).toBe(b.id);
    expect([...ring.byId.keys()]).toEqual([a.id, b.id]);
  });

  it('names the entry and the rule, and never echoes a key', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(() => parseCodecKeys(`k1:${short}`)).toThrow('KLACHTFLOW_CODEC_KEYS entry 1: key: a key is 32 bytes, base64-encoded (44 characters) (write id:base64key)');
    expect(() => parseCodecKeys(`k1:${short}`)).not.toThrow(short);
    expect(() => parseCodecKeys(Buffer.alloc(32).toString('base64'))).toThrow(/entry 1: id: a key id is/);
  });

  it('refuses a ring that lists a key id twice, or no key', () => {
    const a = newCodecKey();
    expect(() => keyRing([a, { ...newCodecKey(), id: a.id }])).toThrow(`the key ring lists key id ${a.id} twice`);
    expect(() => keyRing([])).toThrow(/at least one key/);
  });
});
