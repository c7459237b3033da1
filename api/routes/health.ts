import { Router } from 'express';
import type { AppDependencies } from '../app';
import { ComplaintMailHeld } from '../../domain/search-attributes';
import { complaintWorkflowType } from '../../domain/messages';
import { sendProblem } from '../problem';

const readinessTimeoutMs = 2000;

export function healthRoutes(deps: AppDependencies): Router {
  const router = Router();
  const { client } = deps;
  const within = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + readinessTimeoutMs, fn);
  /** How many complaints have an e-mail held for this reason (ComplaintMailHeld, from the workflows). */
  const held = async (reason: 'relay-refused' | 'delayed'): Promise<number> => {
    const query = `WorkflowType = '${complaintWorkflowType}' AND ${ComplaintMailHeld.name} = '${reason}'`;
    const { count } = await within(() => client.workflowService.countWorkflowExecutions({ namespace: client.options.namespace, query }));
    return Number(count ?? 0);
  };

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready means Temporal answers for our namespace within two seconds.
  router.get('/readyz', async (_req, res) => {
    try {
      await within(() => client.workflowService.describeNamespace({ namespace: client.options.namespace }));
      res.json({ status: 'ready', temporal: 'ok' });
    } catch {
      sendProblem(res, { title: 'Not ready', status: 503, detail: 'Temporal does not answer' }, { 'Retry-After': '5' });
    }
  });
  // The operator's alarm for e-mail: 503 while our mail relay refuses our mail (our
  // configuration: SMTP_URL, MAIL_FROM); the count of e-mails delayed an hour or more besides.
  router.get('/healthz/mail', async (_req, res) => {
    let counts: { relayRefused: number; delayed: number };
    try {
      counts = { relayRefused: await held('relay-refused'), delayed: await held('delayed') };
    } catch {
      return sendProblem(res, { title: 'Not ready', status: 503, detail: 'Temporal does not answer' }, { 'Retry-After': '5' });
    }
    if (counts.relayRefused > 0) {
      const detail = `the mail relay refuses our mail: ${counts.relayRefused} complaint(s) have e-mail waiting; check SMTP_URL and MAIL_FROM`;
      return sendProblem(res, { title: 'Mail relay refuses', status: 503, detail, ...counts }, { 'Retry-After': '60' });
    }
    res.json({ status: counts.delayed > 0 ? 'delayed' : 'ok', ...counts });
  });
  return router;
}
