import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Router } from 'express';
import { type ComplaintInput, intakeSchema } from '../../domain/complaint';
import { dossierUrl } from '../../domain/link-token';
import { complaintWorkflowType, taskQueue } from '../../domain/messages';
import { newReference, workflowIdFor } from '../../domain/reference';
import type { AppDependencies } from '../app';
import { HttpProblem, validationProblem } from '../problem';
import { temporalProblem } from '../temporal-errors';

// References are random: a collision is rare, and is answered with a new reference, never a merge.
const maxReferenceAttempts = 5;
const startDeadlineMs = 5000;

export function intakeRoutes(deps: AppDependencies): Router {
  const router = Router();

  router.post('/api/complaints', async (req, res) => {
    const parsed = intakeSchema.safeParse(req.body);
    if (!parsed.success) throw validationProblem(parsed.error);
    const intake = parsed.data;
    const procedure = deps.procedures.get(intake.procedure);
    if (!procedure) {
      throw new HttpProblem({
        title: 'Invalid request',
        status: 400,
        detail: `procedure: unknown procedure "${intake.procedure}"; known: ${[...deps.procedures.keys()].join(', ')}`,
        errors: [{ field: 'procedure', rule: 'must name a loaded procedure' }],
      });
    }
    const receivedAt = new Date();
    const { language, ...rest } = intake;
    for (let attempt = 1; ; attempt++) {
      const reference = newReference(receivedAt.getUTCFullYear(), randomBytes(6));
      const input: ComplaintInput = {
        ...rest,
        reference,
        language: language ?? procedure.language,
        receivedAt: receivedAt.toISOString(),
        channel: 'web',
      };
      try {
        // A complainant waits on this request: a Temporal that does not answer in a few
        // seconds gets a 503 to retry, not a hanging form.
        await deps.client.connection.withDeadline(Date.now() + startDeadlineMs, () =>
          deps.client.workflow.start(complaintWorkflowType, {
            taskQueue,
            workflowId: workflowIdFor(reference),
            args: [input],
          }),
        );
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError && attempt < maxReferenceAttempts) continue;
        throw temporalProblem(err) ?? err;
      }
      res.status(201).location(`/api/complaints/${reference}`).json({
        reference,
        dossierUrl: dossierUrl(deps.publicBaseUrl, deps.linkSecret, reference, receivedAt),
      });
      return;
    }
  });

  return router;
}
