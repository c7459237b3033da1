import { Router } from 'express';
import type { AppDependencies } from '../app';
import { complainantAuth } from '../auth';
import { idempotencyKeyOf, parseBody, referenceOf } from '../http';
import { complainantActions } from '../schemas';

/** The complainant's own dossier and actions, reached with the personal link from the e-mails. */
export function complainantRoutes(deps: AppDependencies): Router {
  const router = Router();
  const auth = complainantAuth(deps.linkSecret);

  router.get('/api/complaints/:reference', auth, async (req, res) => {
    res.json(await deps.complaints.dossier(referenceOf(req), 'complainant'));
  });

  for (const [path, action] of Object.entries(complainantActions)) {
    router.post(`/api/complaints/:reference/${path}`, auth, async (req, res) => {
      const reference = referenceOf(req);
      const body = parseBody(action.body, req.body);
      await deps.complaints.update(reference, action.update, body, idempotencyKeyOf(req));
      // The complainant's view, without what is internal to the staff.
      res.json(await deps.complaints.dossier(reference, 'complainant'));
    });
  }
  return router;
}
