import { grpcMeanings, isTemporalAway, temporalProblem } from '../../api/temporal-errors';

// Every gRPC status Temporal can answer with has its meaning decided: none becomes a 500.
const serviceError = (code: number) => Object.assign(new Error(`code ${code}`), { code, details: 'x', metadata: {} });
const grpcStatus = { NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, DEADLINE_EXCEEDED: 4, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 };

describe('Temporal statuses as HTTP answers', () => {
  it('decides every non-OK gRPC status (1 CANCELLED to 16 UNAUTHENTICATED)', () => {
    const codes = Array.from({ length: 16 }, (_, i) => i + 1);
    expect(codes.filter((c) => grpcMeanings[c] === undefined)).toEqual([]);
    expect([grpcMeanings[1]!.name, grpcMeanings[9]!.name, grpcMeanings[16]!.name]).toEqual(['CANCELLED', 'FAILED_PRECONDITION', 'UNAUTHENTICATED']);
    // Only the two the callers answer themselves are not a 503.
    expect(codes.filter((c) => !['later', 'operator'].includes(grpcMeanings[c]!.meaning.kind))).toEqual([5, 6]);
  });

  it('answers no poller (FAILED_PRECONDITION) and UNAVAILABLE with 503 and Retry-After, as a repeatable "later"', () => {
    for (const code of [grpcStatus.FAILED_PRECONDITION, grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED]) {
      const problem = temporalProblem(serviceError(code))!;
      expect(problem.problem.status).toBe(503);
      expect(Number(problem.headers['Retry-After'])).toBeGreaterThan(0);
      expect(problem.options.operator).toBeUndefined();
      expect(isTemporalAway(serviceError(code))).toBe(true);
      // As the SDK wraps it, too.
      expect(isTemporalAway(Object.assign(new Error('wrapped'), { cause: serviceError(code) }))).toBe(true);
    }
  });

  it('answers Temporal refusing klachtflow itself with 503 for the caller and an alert for the operator, naming the status only', () => {
    const problem = temporalProblem(serviceError(grpcStatus.PERMISSION_DENIED))!;
    expect(problem.problem).toMatchObject({ status: 503, detail: expect.stringContaining('(PERMISSION_DENIED)') as unknown });
    expect(problem.options.operator).toBe(true);
    expect(isTemporalAway(serviceError(grpcStatus.PERMISSION_DENIED))).toBe(false);
  });

  it('leaves not-found and already-exists to the caller, who knows the complaint, and other errors alone', () => {
    expect(temporalProblem(serviceError(grpcStatus.NOT_FOUND))).toBeUndefined();
    expect(temporalProblem(serviceError(grpcStatus.ALREADY_EXISTS))).toBeUndefined();
    expect(temporalProblem(new Error('not from Temporal'))).toBeUndefined();
  });
});
