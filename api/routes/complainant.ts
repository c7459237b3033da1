import { Router } from 'express';
import type { z } from 'zod';
import { actionNames, audienceOf, bodySchema, pathOf } from '../../domain/actions';
import type { AppDependencies } from '../app';
import { complainantAuth } from '../auth';
import { answerAction, idempotencyKeyOf, parseBody, referenceOf } from '../http';
import { requestLanguage } from '../refusals';

/** The complainant's own dossier and actions, reached with the personal link from the e-mails. */
export function complainantRoutes(deps: AppDependencies): Router {
  const router = Router();
  const auth = complainantAuth(deps.linkSecret);

  router.get('/api/complaints/:reference', auth, async (req, res) => {
    res.json(await deps.complaints.dossier(referenceOf(req), 'complainant'));
  });

  for (const name of actionNames.filter((n) => audienceOf(n) === 'complainant')) {
    router.post(`/api/complaints/:reference/${pathOf(name)}`, auth, async (req, res) => {
      const input = parseBody(bodySchema(name) as z.ZodType, req.body);
      // The complainant's view, without what is internal to the staff.
      const options = { idempotencyKey: idempotencyKeyOf(req), view: 'complainant' as const, language: requestLanguage(req) };
      const reference = referenceOf(req);
      answerAction(res, await deps.complaints.act(reference, name, { actor: { kind: 'complainant' }, input: input as never }, options), `/api/complaints/${reference}`);
    });
  }
  return router;
}
