import { Router } from 'express';
import type { z } from 'zod';
import { actionNames, audienceOf, bodySchema, pathOf } from '../../domain/actions';
import type { AppDependencies } from '../app';
import { complainantActor, complainantAuth, invalidLink, linkOf, revoked } from '../auth';
import { answerAction, idempotencyKeyOf, parseBody, referenceOf } from '../http';
import { sendAttachment } from '../attachments';
import { HttpProblem } from '../problem';
import { problemRefusal, requestLanguage } from '../refusals';

/** The complainant's own dossier and actions, reached with the personal link from the e-mails. */
export function complainantRoutes(deps: AppDependencies): Router {
  const router = Router();
  const auth = complainantAuth(deps.linkSecret);

  router.get('/api/complaints/:reference', auth, async (req, res) => {
    const dossier = await deps.complaints.dossier(referenceOf(req), 'complainant');
    if (revoked(linkOf(res), dossier)) throw invalidLink();
    res.json(dossier);
  });

  // An attachment of their own e-mail to the organisation.
  router.get('/api/complaints/:reference/attachments/:id', auth, async (req, res) => {
    const dossier = await deps.complaints.dossier(referenceOf(req), 'complainant');
    if (revoked(linkOf(res), dossier)) throw invalidLink();
    await sendAttachment(res, deps.attachments, dossier, String(req.params.id));
  });

  for (const name of actionNames.filter((n) => audienceOf(n) === 'complainant')) {
    router.post(`/api/complaints/:reference/${pathOf(name)}`, auth, async (req, res) => {
      const input = parseBody(bodySchema(name) as z.ZodType, req.body);
      // The complainant's view, without what is internal to the staff.
      const options = { idempotencyKey: idempotencyKeyOf(req), view: 'complainant' as const, language: requestLanguage(req) };
      const reference = referenceOf(req);
      const outcome = await deps.complaints.act(reference, name, { actor: complainantActor(linkOf(res)), input: input as never }, options).catch((err: unknown) => {
        // Revoked: the same answer as a link that never was.
        throw err instanceof HttpProblem && problemRefusal(err.problem)?.code === 'LinkRevoked' ? invalidLink() : err;
      });
      answerAction(res, outcome, `/api/complaints/${reference}`);
    });
  }
  return router;
}
