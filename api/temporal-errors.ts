import { isGrpcServiceError } from '@temporalio/client';
import { HttpProblem } from './problem';

// gRPC status codes that mean "not now" rather than "never": UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED, and CANCELLED, which is how a call cut off by our own deadline may end.
const unavailableCodes = new Set<number>([14, 4, 8, 1]);

/** Temporal being away is a 503 the caller can retry, never a 500. */
export function temporalProblem(err: unknown): HttpProblem | undefined {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  const grpc = isGrpcServiceError(err) ? err : isGrpcServiceError(cause) ? cause : undefined;
  if (grpc && unavailableCodes.has(grpc.code)) {
    return new HttpProblem(
      { title: 'Service unavailable', status: 503, detail: 'the complaint engine cannot be reached right now; try again in a minute' },
      { 'Retry-After': '30' },
    );
  }
  return undefined;
}
