// Refusals at the edge: read from Temporal's failure by their code, worded for the caller in
// their language from the one table (domain/refusals.ts), answered as problem+json.
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Request } from 'express';
import type { Dossier } from '../domain/dossier';
import { isRefusalCode, type Refusal, refusalField, refusalStatus, refusalText, wording } from '../domain/refusals';
import type { Language } from '../domain/vocabulary';
import { HttpProblem, type Problem } from './problem';

/** The refusal a rejected update carries: the failure's type is its code, its first detail its data. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const [data] = err.cause.details ?? [];
  if (!isRefusalCode(err.cause.type) || typeof data !== 'object' || data === null) return undefined;
  return { ...(data), code: err.cause.type } as Refusal;
}

/** The refusal a problem answer carries (the pages read it back from the service's answer). */
export function problemRefusal(problem: Problem): Refusal | undefined {
  return isRefusalCode(problem.code) ? ({ ...(problem.data as object), code: problem.code } as Refusal) : undefined;
}

const titles: Record<number, string> = { 403: 'Forbidden', 409: 'Conflict', 422: 'Unprocessable request', 429: 'Too many requests' };

/** A refusal as a problem: its status, `code` and `data`, a `detail` in the caller's language, and the field a 422 is about. */
export function refusalProblem(refusal: Refusal, language: Language, dossier: Pick<Dossier, 'timezone' | 'route'>): HttpProblem {
  const { code, ...data } = refusal;
  const status = refusalStatus(refusal);
  const detail = refusalText(refusal, wording(language, dossier.timezone, dossier.route), language);
  const field = refusalField(refusal);
  const headers: Record<string, string> = {};
  if (refusal.code === 'RateLimited') headers['Retry-After'] = String(Math.max(1, Math.ceil((Date.parse(refusal.until) - Date.now()) / 1000)));
  return new HttpProblem({ title: titles[status] ?? 'Conflict', status, detail, code, data, ...(field ? { errors: [{ field, rule: detail }] } : {}) }, headers);
}

/** The language a caller asks for: `?lang=`, else Accept-Language, else English for the API. */
export function requestLanguage(req: Request, fallback: Language = 'en'): Language {
  if (req.query.lang === 'nl' || req.query.lang === 'en') return req.query.lang;
  // The fallback first: a header of `*` (as fetch sends) takes it.
  const accepted = req.acceptsLanguages(fallback, fallback === 'en' ? 'nl' : 'en');
  return accepted === 'nl' || accepted === 'en' ? accepted : fallback;
}
