import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { ComplaintOverdue, ComplaintStatus } from '../../domain/search-attributes';
import { complaintWorkflow } from '../../workflows';
import { complaintInput } from '../support/complaints';
import { act, refusal, staff } from '../support/harness';
import { MailSink } from '../support/mail-sink';
import { timeSkippingEnvironment } from '../support/temporal';
import { startTestWorker } from '../support/worker';

describe('complaintWorkflow on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let mail: MailSink;

  beforeAll(async () => {
    [env, mail] = await Promise.all([timeSkippingEnvironment(), MailSink.start()]);
  });
  afterAll(async () => {
    await Promise.all([env?.teardown(), mail?.stop()]);
  });

  it('confirms receipt at once and keeps the complaint open through a skipped week', async () => {
    const worker = await startTestWorker(env.nativeConnection, env.namespace ?? 'default', mail.url);
    // Received on a past date: its terms were breached long ago, and say so.
    const input = complaintInput({ reference: 'KL-2026-WEEK01' });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(complaintWorkflow, {
        taskQueue,
        workflowId: workflowIdFor(input.reference),
        args: [input],
      });
      // The complainant's receipt and the staff's notice go out side by side, in either order.
      const receipt = await mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${input.reference}]`);
      expect(receipt.messageId).toBe(`<${input.reference}.receipt@klachtflow.test>`);
      expect(receipt.text).toContain('http://klachtflow.test/dossier/KL-2026-WEEK01?token=');
      // Gooiconsult, received Friday 24 April 2026: the dates of SPEC §3.4, stated in Dutch.
      expect(receipt.text).toContain('- ontvangstbevestiging: uiterlijk maandag 4 mei 2026');
      expect(receipt.text).toContain('- ons schriftelijk standpunt: uiterlijk vrijdag 8 mei 2026');
      expect(receipt.text).toContain('- afhandeling van uw klacht: uiterlijk vrijdag 15 mei 2026');

      const before = await env.currentTimeMs();
      await env.sleep('7 days');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);

      const dossier = await handle.query(dossierQuery);
      expect(dossier.status).toBe('received');
      expect(dossier.terms).toEqual({
        acknowledge: {
          kind: 'term',
          date: '2026-05-04',
          dueAt: '2026-05-04T21:59:59.999Z',
          trace: expect.arrayContaining(['Mon 27-04-2026 Koningsdag skipped']) as unknown,
          metAt: expect.any(String) as unknown,
          breachedAt: '2026-05-04T21:59:59.999Z',
        },
        resolve: { kind: 'term', date: '2026-05-08', dueAt: '2026-05-08T21:59:59.999Z', trace: expect.any(Array) as unknown, breachedAt: '2026-05-08T21:59:59.999Z' },
        maxLeadTime: {
          kind: 'term',
          date: '2026-05-15',
          dueAt: '2026-05-15T21:59:59.999Z',
          noticeBy: '2026-05-11',
          noticeWorkingDaysBefore: 3,
          trace: expect.any(Array) as unknown,
          breachedAt: '2026-05-15T21:59:59.999Z',
        },
      });
      expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(true);
      expect(dossier.correspondence.map((c) => [c.to, c.status, c.messageId])).toEqual([
        ['complainant', 'sent', receipt.messageId],
        ['staff', 'sent', `<${input.reference}.new-complaint@klachtflow.test>`],
        ['manager', 'sent', `<${input.reference}.escalation-resolve@klachtflow.test>`],
        ['manager', 'sent', `<${input.reference}.escalation-maxLeadTime@klachtflow.test>`],
      ]);
      expect(mail.to('jan@example.nl')).toHaveLength(1);
      const described = await handle.describe();
      expect(described.status.name).toBe('RUNNING');
      expect(described.typedSearchAttributes.get(ComplaintStatus)).toBe('received');
      // Past due: escalated to the manager the working day after each term, not to the complainant.
      expect(mail.to('mira@staff.test').map((m) => m.subject)).toEqual(
        expect.arrayContaining([
          `Termijn verstreken: het schriftelijk standpunt – klacht [${input.reference}]`,
          `Termijn verstreken: de afhandeling van de klacht – klacht [${input.reference}]`,
        ]),
      );

      // A body the schema does not take is refused before it enters history, naming the field.
      await expect(act(handle, 'close', { outcome: 'solved' as 'no_response' }, staff('mira'))).rejects.toMatchObject(refusal('InvalidRequest'));
      const closed = await act(handle, 'withdraw', {});
      expect(closed).toMatchObject({ status: 'closed', outcome: 'withdrawn', events: ['closed'] });
      expect((await handle.result()).outcome).toBe('withdrawn');
    });
  });
});
