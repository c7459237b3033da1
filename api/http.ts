// Small pieces every route uses: body and parameter validation, the Idempotency-Key header.
import type { Request, Response } from 'express';
import type { ActOutcome } from './complaints';
import type { z } from 'zod';
import { referenceParam } from './schemas';
import { fieldProblem, HttpProblem, validationProblem } from './problem';

/** The body as the schema reads it, or a 400 that names each bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
}

/** A reference from the path; anything that cannot be one is simply not found. */
export function referenceOf(req: Request): string {
  const reference = String(req.params.reference);
  if (!referenceParam.safeParse(reference).success) throw new HttpProblem({ title: 'Not found', status: 404, detail: `there is no complaint ${reference}` });
  return reference;
}

const idempotencyKeyPattern = /^[\x21-\x7e]{8,200}$/;

/** The client's Idempotency-Key: 8 to 200 visible ASCII characters (a UUID will do). */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!idempotencyKeyPattern.test(key)) {
    throw fieldProblem(400, [{ field: 'Idempotency-Key', rule: '8 to 200 visible ASCII characters, such as a UUID' }]);
  }
  return key;
}

/** An action's answer: 200 with the dossier as it now stands, or 202 where it was accepted and is still being carried out. */
export function answerAction(res: Response, outcome: ActOutcome, dossierPath: string): void {
  if (outcome.done) {
    res.json(outcome.dossier);
    return;
  }
  res
    .status(202)
    .location(dossierPath)
    .json({ status: 'accepted', reference: outcome.reference, detail: 'the action was accepted and is being carried out; the dossier shows it once it is done', dossier: dossierPath });
}
