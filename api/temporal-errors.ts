import { isGrpcServiceError } from '@temporalio/client';
import { HttpProblem } from './problem';

/**
 * What each gRPC status from Temporal means to the caller, decided once for every code:
 * - `later`: Temporal or the worker is away or busy (no poller seen, unavailable, a deadline):
 *   503 with Retry-After, and the request may be repeated (with the same Idempotency-Key);
 * - `operator`: Temporal refuses klachtflow itself (credentials, namespace, an unregistered search
 *   attribute, a server too old): 503 too, for the caller can do nothing else, and the API logs it
 *   as an error for the operator;
 * - `not-found` and `exists` are answered by the callers, who know which complaint was meant.
 */
type Meaning = { kind: 'later'; retryAfter: number } | { kind: 'operator' } | { kind: 'not-found' } | { kind: 'exists' };

const later = (retryAfter: number): Meaning => ({ kind: 'later', retryAfter });
const operator: Meaning = { kind: 'operator' };

export const grpcMeanings: Readonly<Record<number, { name: string; meaning: Meaning }>> = {
  1: { name: 'CANCELLED', meaning: later(10) },
  2: { name: 'UNKNOWN', meaning: later(30) },
  3: { name: 'INVALID_ARGUMENT', meaning: operator },
  4: { name: 'DEADLINE_EXCEEDED', meaning: later(10) },
  5: { name: 'NOT_FOUND', meaning: { kind: 'not-found' } },
  6: { name: 'ALREADY_EXISTS', meaning: { kind: 'exists' } },
  7: { name: 'PERMISSION_DENIED', meaning: operator },
  8: { name: 'RESOURCE_EXHAUSTED', meaning: later(10) },
  // How the server answers a query or an update no worker polls for.
  9: { name: 'FAILED_PRECONDITION', meaning: later(10) },
  10: { name: 'ABORTED', meaning: later(5) },
  11: { name: 'OUT_OF_RANGE', meaning: operator },
  12: { name: 'UNIMPLEMENTED', meaning: operator },
  13: { name: 'INTERNAL', meaning: later(30) },
  14: { name: 'UNAVAILABLE', meaning: later(30) },
  15: { name: 'DATA_LOSS', meaning: operator },
  16: { name: 'UNAUTHENTICATED', meaning: operator },
};

/** The gRPC status of an error from the Temporal client, itself or as its cause. */
export function grpcCodeOf(err: unknown): number | undefined {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  const grpc = isGrpcServiceError(err) ? err : isGrpcServiceError(cause) ? cause : undefined;
  return grpc ? Number(grpc.code) : undefined;
}

/** Away or busy: what a repeat of the same request can mend. */
export const isTemporalAway = (err: unknown): boolean => {
  const code = grpcCodeOf(err);
  return code !== undefined && grpcMeanings[code]?.meaning.kind === 'later';
};

/** Temporal away, or refusing us: a 503 the caller can retry, never a 500. Not-found and exists are the caller's to answer. */
export function temporalProblem(err: unknown): HttpProblem | undefined {
  const code = grpcCodeOf(err);
  if (code === undefined) return undefined;
  const { name, meaning } = grpcMeanings[code] ?? { name: `status ${code}`, meaning: operator };
  if (meaning.kind === 'later') {
    return new HttpProblem(
      { title: 'Service unavailable', status: 503, detail: 'the complaint engine cannot be reached right now; try again in a minute' },
      { 'Retry-After': String(meaning.retryAfter) },
    );
  }
  if (meaning.kind === 'operator') {
    return new HttpProblem(
      { title: 'Service unavailable', status: 503, detail: `the complaint engine refuses klachtflow's requests (${name}); the operator has to mend its configuration` },
      { 'Retry-After': '300' },
      { operator: true },
    );
  }
  return undefined;
}

/** Said in the API's log when Temporal refuses klachtflow itself, by the JSON API and the pages alike. */
export function logOperatorProblem(logger: { error(fields: object, message: string): void }, problem: HttpProblem): void {
  logger.error({ status: problem.problem.status, detail: problem.problem.detail }, 'Temporal refuses our requests: check TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, its credentials and the search attributes');
}
