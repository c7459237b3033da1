import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import MailComposer from 'nodemailer/lib/mail-composer';
import { complaintService } from '../../api/complaints';
import type { AttachmentStore } from '../../codec/attachments';
import { keyRing, newCodecKey } from '../../codec/key-ring';
import { configSchema } from '../../config/env';
import { attachmentStore } from '../../config/secrets';
import { updateOf } from '../../domain/actions';
import { dossierUrl } from '../../domain/link-token';
import { dossierQuery } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { mailFiler } from '../../mail-in/file';
import { S3Server, s3TestCredentials } from '../support/s3-server';
import { devStack } from '../support/stack';
import { testKeyRing } from '../support/temporal';
import { procedures, testBaseUrl, testLinkSecret } from '../support/worker';

// Attachments in S3-compatible object storage (issue 16), configured as an operator would (the
// KLACHTFLOW_ATTACHMENTS_S3_* variables, credentials from the AWS SDK's own chain), against moto's
// S3 server: only ciphertext in the bucket, the complainant's download through their link, and the
// object gone once the dossier is destroyed.
describe('attachments in an S3-compatible bucket', () => {
  let s3: S3Server;
  let store: AttachmentStore;
  // The worker and the API are made before the bucket exists: they reach the store through this.
  const viaS3: AttachmentStore = { put: (id, content) => store.put(id, content), get: (id) => store.get(id), remove: (id) => store.remove(id) };
  const configured = (extra: Record<string, string> = {}) =>
    configSchema.parse({ KLACHTFLOW_ATTACHMENTS_S3_BUCKET: s3.bucket, KLACHTFLOW_ATTACHMENTS_S3_ENDPOINT: s3.endpoint, KLACHTFLOW_ATTACHMENTS_S3_PREFIX: 'klachtflow/bijlagen/', ...extra });

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = s3TestCredentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3TestCredentials.secretAccessKey;
    s3 = await S3Server.start();
    store = attachmentStore(configured(), testKeyRing);
  });
  afterAll(() => s3?.stop());
  const stack = devStack({ attachments: viaS3 });

  /** The object as it lies in the bucket, or undefined. */
  async function objectOf(id: string): Promise<Buffer | undefined> {
    try {
      const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `klachtflow/bijlagen/${id}` }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }
  const keys = async () => ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key);

  it('keeps each attachment as one sealed object under the prefix, readable with the key ring only, and removes it (twice is fine)', async () => {
    const id = 'a'.repeat(32);
    const content = Buffer.from('Verslag van het gesprek: GEHEIM-S3-1');
    await store.put(id, content);
    const sealed = (await objectOf(id))!;
    expect(sealed.includes('GEHEIM-S3-1')).toBe(false);
    expect(sealed.length).toBe(content.length + 1 + testKeyRing.current.id.length + 12 + 16);
    expect(await store.get(id)).toEqual(content);
    // Another organisation's keys open nothing.
    await expect(attachmentStore(configured(), keyRing([newCodecKey()])).get(id)).rejects.toThrow(/not in this process's key ring/);

    expect(await store.get('b'.repeat(32))).toBeUndefined();
    await expect(store.get('../secrets.json')).rejects.toThrow('not an attachment id');
    await store.remove(id);
    await store.remove(id);
    expect(await objectOf(id)).toBeUndefined();
    expect(await store.get(id)).toBeUndefined();
  });

  it('refuses a directory and a bucket both, naming the variables', () => {
    expect(() => configured({ KLACHTFLOW_ATTACHMENTS_DIR: '/srv/klachtflow/bijlagen' })).toThrow(/KLACHTFLOW_ATTACHMENTS_DIR or KLACHTFLOW_ATTACHMENTS_S3_BUCKET/);
    expect(() => configured({ KLACHTFLOW_ATTACHMENTS_S3_PATH_STYLE: 'ja' })).toThrow(/KLACHTFLOW_ATTACHMENTS_S3_PATH_STYLE must be true or false/);
  });

  it("files an e-mail's attachment into the bucket, the complainant downloads it through the dossier link, and it goes with the dossier", async () => {
    const marker = 'PDF-IN-DE-BUCKET-9XK2';
    const raw = await new MailComposer({
      from: 'Bo <bo@example.nl>',
      to: 'info@gooiconsult.nl',
      subject: 'Klacht over de factuur',
      messageId: '<bijlage-s3-1@example.nl>',
      text: 'De factuur zit in de bijlage.',
      attachments: [{ filename: 'factuur.pdf', content: Buffer.from(`%PDF-1.4 ${marker}`), contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    const file = mailFiler({ complaints: complaintService(stack.env.client, testLinkSecret), procedures, attachments: viaS3 });
    const filed = await file(raw, { recipients: ['info@gooiconsult.nl'], arrivedAt: new Date() });
    expect(filed).toMatchObject({ kind: 'complaint' });
    const reference = (filed as { reference: string }).reference;
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(reference));
    const dossier = await handle.query(dossierQuery);
    const [pdf] = dossier.complaint.attachments ?? [];
    expect(pdf).toMatchObject({ name: 'factuur.pdf', type: 'application/pdf', id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown });
    expect(await keys()).toContain(`klachtflow/bijlagen/${pdf!.id}`);
    expect((await objectOf(pdf!.id!))!.includes(marker)).toBe(false);

    const token = new URL(dossierUrl(testBaseUrl, testLinkSecret, reference, new Date(dossier.receivedAt))).searchParams.get('token')!;
    const download = await fetch(`${stack.api.url}/api/complaints/${reference}/attachments/${pdf!.id}?token=${token}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe(`%PDF-1.4 ${marker}`);

    await handle.executeUpdate(updateOf('withdraw'), { args: [{ actor: { kind: 'complainant' }, input: {} }] });
    for (let i = 0; (await handle.query(dossierQuery)).destroyOn === undefined; i++) {
      if (i > 200) throw new Error(`dossier ${reference} was not closed`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await handle.executeUpdate(updateOf('destroyEarly'), { args: [{ actor: { kind: 'staff', id: 'dirk', roles: ['director'] }, input: { reason: 'Verzoek tot verwijdering' } }] });
    await handle.result();
    expect(await objectOf(pdf!.id!)).toBeUndefined();
    expect((await fetch(`${stack.api.url}/api/complaints/${reference}/attachments/${pdf!.id}?token=${token}`)).status).toBe(404);
  });
});
