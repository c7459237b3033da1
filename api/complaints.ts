// What the routes ask of Temporal: start a complaint (idempotently), run an update, read a
// dossier; each within a deadline, each failure turned into a problem the caller can act on.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowUpdateHandle,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import { type ActionCall, type ActionName, type ActionResult, updateOf } from '../domain/actions';
import type { ComplaintInput } from '../domain/complaint';
import type { Dossier, DossierView } from '../domain/dossier';
import { complaintWorkflowType, dossierQuery, taskQueue } from '../domain/messages';
import { newReference, workflowIdFor } from '../domain/reference';
import type { Language } from '../domain/vocabulary';
import { HttpProblem } from './problem';
import { refusalOf, refusalProblem } from './refusals';
import { grpcCodeOf, isTemporalAway, temporalProblem } from './temporal-errors';

/** How long a caller waits for Temporal and a worker before a 503 with Retry-After. */
export const temporalDeadlineMs = 5000;
// References are random: a collision is rare, and is answered with a new reference, never a merge.
const maxReferenceAttempts = 5;
/** gRPC status NOT_FOUND. */
const gRpcNotFound = 5;

const unavailable = (detail: string) =>
  new HttpProblem({ title: 'Service unavailable', status: 503, detail }, { 'Retry-After': '10' });

const notFound = (reference: string) => new HttpProblem({ title: 'Not found', status: 404, detail: `there is no complaint ${reference}` });

/** Temporal's errors as problems: unknown complaint 404, refusal 409, no worker or server in time 503. */
export function problemOf(err: unknown, reference: string): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (err instanceof WorkflowNotFoundError || cause instanceof WorkflowNotFoundError || grpcCodeOf(err) === gRpcNotFound) return notFound(reference);
  if (err instanceof WorkflowUpdateFailedError) {
    return new HttpProblem({ title: 'Conflict', status: 409, detail: 'the complaint engine refused this action' });
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return unavailable('the complaint engine did not answer in time; your action may still be carried out: repeat it with the same Idempotency-Key');
  }
  return temporalProblem(err);
}

export interface ActOptions {
  idempotencyKey?: string;
  /** The dossier to answer with: the actor's view of it. */
  view: DossierView;
  /** The language a refusal is worded in. */
  language: Language;
}

/** Taken and done, with the dossier as it now stands; or accepted (it will be done) while the engine did not finish in time. */
export type ActOutcome = { done: true; dossier: Dossier } | { done: false; reference: string };

export interface ComplaintService {
  start(input: Omit<ComplaintInput, 'reference'>, idempotencyKey?: string): Promise<string>;
  /** Takes an action, then reads the dossier as it now stands; a refusal is a problem worded for the caller. */
  act<K extends ActionName>(reference: string, name: K, call: ActionCall<K>, options: ActOptions): Promise<ActOutcome>;
  dossier(reference: string, view: DossierView): Promise<Dossier>;
}

export function complaintService(client: Client, secret: string): ComplaintService {
  const within = <T>(fn: () => Promise<T>): Promise<T> => client.connection.withDeadline(Date.now() + temporalDeadlineMs, fn);
  const hmac = (value: string): string => createHmac('sha256', secret).update(value).digest('base64url');

  /** One attempt: the reference, and the memo that tells a repeated request from another complaint. */
  const attemptOf = (input: Omit<ComplaintInput, 'reference'>, attempt: number, key?: string) => {
    const year = new Date(input.receivedAt).getUTCFullYear();
    if (!key) return { reference: newReference(year, randomBytes(6)) };
    // The same key always leads to the same reference; the memo holds keyed hashes, never the data.
    const bytes = createHmac('sha256', secret).update(`idempotency:${key}:${attempt}`).digest();
    const { receivedAt: _at, ...request } = input;
    return { reference: newReference(year, bytes), memo: { idempotencyKey: hmac(`key:${key}`), request: hmac(`request:${JSON.stringify(request)}`) } };
  };

  const dossier = async (reference: string, view: DossierView): Promise<Dossier> => {
    try {
      return await within(() => client.workflow.getHandle(workflowIdFor(reference)).query(dossierQuery, { view }));
    } catch (err) {
      throw problemOf(err, reference) ?? err;
    }
  };

  return {
    async start(input, key) {
      // One deadline for the whole intake: a start that lands late is not followed by a describe of 5 s more.
      const deadline = Date.now() + temporalDeadlineMs;
      const byDeadline = <T>(fn: () => Promise<T>): Promise<T> => client.connection.withDeadline(deadline, fn);
      for (let attempt = 1; attempt <= maxReferenceAttempts; attempt++) {
        const { reference, memo } = attemptOf(input, attempt, key);
        const workflowId = workflowIdFor(reference);
        try {
          await byDeadline(() =>
            client.workflow.start(complaintWorkflowType, {
              taskQueue,
              workflowId,
              args: [{ ...input, reference }],
              // A workflow id is never reused, even after its history is gone.
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              // The operator's view in the Temporal UI: nothing personal.
              staticSummary: `${input.procedure} · ${reference}`,
              ...(memo ? { memo, workflowIdConflictPolicy: 'USE_EXISTING' as const } : {}),
            }),
          );
          if (!memo) return reference;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw problemOf(err, reference) ?? err;
          if (!memo) continue;
        }
        // With a key: the complaint under this id is either this request's, repeated, or another one.
        let existing: Record<string, unknown>;
        try {
          existing = (await byDeadline(() => client.workflow.getHandle(workflowId).describe())).memo ?? {};
        } catch (err) {
          throw problemOf(err, reference) ?? err;
        }
        if (existing.idempotencyKey !== memo.idempotencyKey) continue;
        if (existing.request !== memo.request) {
          throw new HttpProblem({
            title: 'Idempotency-Key reused',
            status: 422,
            detail: `this Idempotency-Key was used for another complaint (${reference}); use a new key for a new complaint`,
          });
        }
        return reference;
      }
      throw unavailable('no free reference was found; try again');
    },

    async act(reference, name, call, { idempotencyKey, view, language }) {
      const handle = client.workflow.getHandle(workflowIdFor(reference));
      const deadline = Date.now() + temporalDeadlineMs;
      // With a key: the same key and request land once; the key with another request is refused (422).
      const request = idempotencyKey ? { key: hmac(`action-key:${idempotencyKey}`), fingerprint: hmac(`action:${JSON.stringify([name, call.input])}`) } : undefined;
      const refused = async (err: unknown): Promise<never> => {
        const refusal = refusalOf(err);
        if (!refusal) throw problemOf(err, reference) ?? err;
        throw refusalProblem(refusal, language, await dossier(reference, view));
      };
      let update: WorkflowUpdateHandle<ActionResult>;
      try {
        update = await client.connection.withDeadline(deadline, () =>
          handle.startUpdate(updateOf(name), {
            args: [{ ...call, ...(request ? { request } : {}) }],
            updateId: request ? `${request.key}.${request.fingerprint}` : randomUUID(),
            waitForStage: WorkflowUpdateStage.ACCEPTED,
          }),
        );
      } catch (err) {
        return refused(err);
      }
      try {
        await client.connection.withDeadline(deadline, () => update.result());
      } catch (err) {
        // Accepted, so it will be done: the caller hears so (202), not that it failed.
        if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isTemporalAway(err)) return { done: false, reference };
        return refused(err);
      }
      return { done: true, dossier: await dossier(reference, view) };
    },

    dossier,
  };
}
