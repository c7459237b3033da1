import { Router } from 'express';
import type { AppDependencies } from '../app';
import { sendProblem } from '../problem';

const readinessTimeoutMs = 2000;

export function healthRoutes(deps: AppDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready means Temporal answers for our namespace within two seconds.
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.client.connection.withDeadline(Date.now() + readinessTimeoutMs, () =>
        deps.client.workflowService.describeNamespace({ namespace: deps.client.options.namespace }),
      );
      res.json({ status: 'ready', temporal: 'ok' });
    } catch {
      sendProblem(res, { title: 'Not ready', status: 503, detail: 'Temporal does not answer' }, { 'Retry-After': '5' });
    }
  });
  return router;
}
