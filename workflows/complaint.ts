import {
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeadlineActivities } from '../activities/deadlines';
import type { EmailActivities } from '../activities/email';
import { closeSchema, type ComplaintInput } from '../domain/complaint';
import type { Dossier } from '../domain/dossier';
import { parseOrRefuse, refuse } from '../domain/refusal';
import { closeUpdate, dossierQuery } from '../domain/messages';
import {
  ComplaintClosedAt,
  ComplaintOutcome,
  ComplaintOverdue,
  ComplaintProcedure,
  ComplaintReceivedAt,
  ComplaintStatus,
  ComplaintCategory,
} from '../domain/search-attributes';

const email = proxyActivities<EmailActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

const deadlines = proxyLocalActivities<DeadlineActivities>({ startToCloseTimeout: '10 seconds' });

/** One complaint, from receipt to closure (SPEC §4). */
export async function complaintWorkflow(input: ComplaintInput): Promise<Dossier> {
  const dossier: Dossier = {
    reference: input.reference,
    procedure: input.procedure,
    language: input.language,
    status: 'received',
    receivedAt: input.receivedAt,
    terms: {},
    timeline: [{ at: input.receivedAt, actor: 'complainant', event: 'received', detail: `channel ${input.channel}` }],
    correspondence: [],
  };
  const now = (): string => new Date(Date.now()).toISOString();

  // Handlers first, so that a query or an update in the first task finds them.
  setHandler(dossierQuery, (options) =>
    options?.view === 'complainant'
      ? { ...dossier, timeline: dossier.timeline.filter((entry) => !entry.internal) }
      : dossier,
  );
  setHandler(
    closeUpdate,
    (request) => {
      const at = now();
      dossier.status = 'closed';
      dossier.outcome = request.outcome;
      dossier.closedAt = at;
      dossier.timeline.push({ at, actor: 'staff', event: 'closed', detail: request.outcome });
      upsertSearchAttributes([
        { key: ComplaintStatus, value: 'closed' },
        { key: ComplaintOutcome, value: request.outcome },
        { key: ComplaintClosedAt, value: new Date(at) },
      ]);
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('close', closeSchema, request);
        if (dossier.status === 'closed') refuse('close', `the complaint was closed on ${dossier.closedAt}`);
      },
    },
  );

  upsertSearchAttributes([
    { key: ComplaintProcedure, value: input.procedure },
    { key: ComplaintStatus, value: dossier.status },
    { key: ComplaintReceivedAt, value: new Date(input.receivedAt) },
    { key: ComplaintOverdue, value: false },
    ...(input.category ? [{ key: ComplaintCategory, value: input.category }] : []),
  ]);

  // v0.2: the terms that run from receipt are computed once, at intake, and kept.
  if (patched('terms-at-intake')) {
    const { acknowledge, firstContact, resolve, maxLeadTime } = await deadlines.computeDeadlines({
      procedure: input.procedure,
      receivedAt: input.receivedAt,
    });
    const kept = { acknowledge, firstContact, resolve, maxLeadTime };
    for (const [name, term] of Object.entries(kept)) {
      if (term) dossier.terms[name as keyof typeof kept] = { date: term.date, dueAt: term.dueAt, noticeBy: term.noticeBy, trace: term.trace ?? [] };
    }
  }

  const receipt = await email.sendReceipt({
    reference: input.reference,
    procedure: input.procedure,
    language: input.language,
    to: input.complainant.email,
    name: input.complainant.name,
    receivedAt: input.receivedAt,
    terms: Object.entries(dossier.terms).map(([name, term]) => ({ name, date: term.date })),
  });
  dossier.correspondence.push({ at: receipt.sentAt, to: 'complainant', subject: receipt.subject, messageId: receipt.messageId });
  dossier.timeline.push({ at: receipt.sentAt, actor: 'klachtflow', event: 'receipt-sent' });
  log.info('receipt confirmed', { workflowId: workflowInfo().workflowId });

  await condition(() => dossier.status === 'closed');
  await condition(allHandlersFinished);
  return dossier;
}
