import { Router } from 'express';
import { intakeSchema } from '../../domain/complaint';
import { dossierUrl } from '../../domain/link-token';
import { localDateOf } from '../../domain/local-date';
import type { Procedure } from '../../domain/procedure';
import type { AppDependencies } from '../app';
import { idempotencyKeyOf, parseBody } from '../http';
import { intakeErrors, procedureOrProblem } from '../intake';
import { fieldProblem, HttpProblem } from '../problem';

/** What anyone may know of a procedure: what to fill in, the terms, the appeal route. Not the staff mailbox. */
export function publicProcedure(procedure: Procedure) {
  const { id, organisation, language, contact, intake, terms, appeals, delayNotice } = procedure;
  const { requireRootCause: _internal, analysis: _report, ...rules } = procedure.rules;
  return { id, organisation, language, contact, intake, terms, delayNotice, appeals, rules };
}

export function publicRoutes(deps: AppDependencies): Router {
  const router = Router();

  router.get('/api/procedures/:id', (req, res) => {
    const procedure = deps.procedures.get(req.params.id);
    if (!procedure) throw new HttpProblem({ title: 'Not found', status: 404, detail: `there is no procedure "${req.params.id}"; known: ${[...deps.procedures.keys()].join(', ')}` });
    res.json(publicProcedure(procedure));
  });

  router.post('/api/complaints', deps.intakeLimit, async (req, res) => {
    const intake = parseBody(intakeSchema, req.body);
    const procedure = procedureOrProblem(deps.procedures, intake.procedure);
    const receivedAt = new Date();
    const errors = intakeErrors(procedure, intake, localDateOf(receivedAt, procedure.timezone));
    if (errors.length) throw fieldProblem(400, errors);
    const { language, ...rest } = intake;
    const reference = await deps.complaints.start(
      { ...rest, language: language ?? procedure.language, receivedAt: receivedAt.toISOString(), channel: 'web' },
      idempotencyKeyOf(req),
    );
    res.status(201).location(`/api/complaints/${reference}`).json({
      reference,
      dossierUrl: dossierUrl(deps.publicBaseUrl, deps.linkSecret, reference, receivedAt),
    });
  });

  return router;
}
