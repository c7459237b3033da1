import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverter, EncryptionCodec, keyRing, newCodecKey } from '../../codec';
import { updateOf } from '../../domain/actions';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { complaintWorkflow } from '../../workflows';
import { complaintInput } from '../support/complaints';
import { staff } from '../support/harness';
import { MailSink } from '../support/mail-sink';
import { metadataText, payloadsIn } from '../support/payloads';
import { devServerEnvironment } from '../support/temporal';
import { startTestWorker } from '../support/worker';

// A rotation adds a key: complaints encrypted with the old one still read and act, and what they
// write from then on is encrypted with the new one.
describe('rotating the codec key', () => {
  let env: TestWorkflowEnvironment;
  let mail: MailSink;
  beforeAll(async () => {
    // A real dev server: a restarted worker takes the complaint over from the stopped one's sticky queue.
    [env, mail] = await Promise.all([devServerEnvironment(), MailSink.start()]);
  });
  afterAll(async () => {
    await Promise.all([env?.teardown(), mail?.stop()]);
  });

  it('reads and acts on a complaint encrypted with the old key, and encrypts what follows with the new one', async () => {
    const oldKey = newCodecKey(new Date('2026-01-05T00:00:00Z'));
    const newKey = newCodecKey(new Date('2026-07-06T00:00:00Z'));
    const before = keyRing([oldKey]);
    const after = keyRing([oldKey, newKey]);
    const clientOf = (ring: typeof before) => new Client({ connection: env.connection, dataConverter: dataConverter(ring) });
    const reference = 'KL-2026-ROTAT1';
    const workflowId = workflowIdFor(reference);
    const receivedAt = new Date().toISOString();

    const oldWorker = await startTestWorker(env.nativeConnection, 'default', mail.url, before);
    await oldWorker.runUntil(async () => {
      const handle = await clientOf(before).workflow.start(complaintWorkflow, {
        taskQueue,
        workflowId,
        args: [complaintInput({ reference, receivedAt, complainant: { name: 'Roos Rotatie', email: 'roos@example.nl' } })],

      });
      await mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
      await handle.executeUpdate(updateOf('assign'), { args: [{ actor: staff('mira'), input: { handler: 'hanna' } }] });
    });

    // Every process restarts with the new ring; the complaint's history so far is the old key's.
    const newWorker = await startTestWorker(env.nativeConnection, 'default', mail.url, after);
    await newWorker.runUntil(async () => {
      const handle = clientOf(after).workflow.getHandle<typeof complaintWorkflow>(workflowId);
      expect((await handle.query(dossierQuery)).complaint.complainant.name).toBe('Roos Rotatie');
      await handle.executeUpdate(updateOf('addNote'), { args: [{ actor: staff('hanna'), input: { text: 'Gebeld met Roos.' } }] });
      const dossier = await handle.query(dossierQuery);
      expect(dossier.handler).toBe('hanna');
      expect(dossier.timeline.map((e) => e.event)).toContain('note');
    });

    const { history } = await env.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const keyIds = payloadsIn(history?.events).map((p) => metadataText(p, 'encryption-key-id'));
    expect(keyIds.every((id) => id === oldKey.id || id === newKey.id)).toBe(true);
    expect(keyIds[0]).toBe(oldKey.id); // the workflow's input
    expect(keyIds.filter((id) => id === oldKey.id).length).toBeGreaterThan(2);
    expect(keyIds.filter((id) => id === newKey.id).length).toBeGreaterThanOrEqual(2); // the note's update and its result
    // The old key is still needed: a ring without it cannot read this complaint.
    const [input] = payloadsIn(history?.events);
    await expect(new EncryptionCodec(keyRing([newKey])).decode([input!])).rejects.toThrow(`payload encrypted with key ${oldKey.id}, which is not in this process's key ring`);
    await expect(new EncryptionCodec(after).decode([input!])).resolves.toHaveLength(1);
  });
});
