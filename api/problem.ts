import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';

/** RFC 9457 problem details: one shape for every error the API returns. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; rule: string }[];
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  /** `operator`: klachtflow's own configuration is wrong (Temporal refuses us): answered, and logged as an error. */
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}, readonly options: { operator?: boolean } = {}) {
    super(problem.detail);
  }
}

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  res.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', ...problem }));
}

export interface FieldError {
  field: string;
  rule: string;
}

/** A problem with named fields: 400 for what does not parse, 422 for a rule it breaks; the detail says it in one line. */
export function fieldProblem(status: 400 | 422, errors: FieldError[], detail = errors.map((e) => `${e.field}: ${e.rule}`).join('; ')): HttpProblem {
  return new HttpProblem({ title: status === 400 ? 'Invalid request' : 'Unprocessable request', status, detail, errors });
}

/** Names each field and the rule it broke, so the caller knows what to fix. */
export function validationProblem(error: z.ZodError, where = 'body'): HttpProblem {
  return fieldProblem(
    400,
    error.issues.map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : where,
      rule:
        issue.code === 'unrecognized_keys'
          ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove them`
          : issue.message,
    })),
  );
}

/**
 * The last handler: known problems as they are, body-parser errors by their status, the rest 500
 * without internals. `log` hears what is not a known problem, and the problems the operator must mend.
 */
export function problemHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof HttpProblem) {
      if (err.options.operator) log(err);
      return sendProblem(res, err.problem, err.headers);
    }
    const parserError = err as { type?: string; status?: number; limit?: number };
    if (parserError.type === 'entity.too.large') {
      return sendProblem(res, {
        title: 'Request too large',
        status: 413,
        detail: `the body is larger than ${Math.round((parserError.limit ?? 0) / 1024)} KiB; shorten the text or send it in parts`,
      });
    }
    if (parserError.type === 'entity.parse.failed') {
      return sendProblem(res, { title: 'Malformed JSON', status: 400, detail: 'the body is not valid JSON' });
    }
    if (parserError.status && parserError.status >= 400 && parserError.status < 500) {
      return sendProblem(res, { title: 'Bad request', status: parserError.status, detail: 'the request could not be read' });
    }
    log(err);
    sendProblem(res, { title: 'Internal error', status: 500, detail: 'something went wrong on our side; try again later' });
  };
}
