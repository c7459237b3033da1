// What an action is: who may take it, its body, when it is refused. The registry (./index.ts)
// is made of these; the workflow, the API routes, the OpenAPI document, the pages and the
// history recorder all read it.
import type { z as Zod } from 'zod';
import type { Dossier } from '../dossier';
import { z } from '../lazy-zod';
import type { Refusal } from '../refusals';
import { linePattern, lineRule, textPattern, textRule } from '../text-rules';
import type { Actor, Audience, StaffRole } from '../vocabulary';

export interface GuardContext {
  /** Epoch milliseconds: workflow time in the workflow, the clock in the API and pages. */
  now: number;
  actor: Actor;
}

export interface ActionDefinition<S extends Zod.ZodType> {
  /** Who takes it; the mailbox's actions have no HTTP route (the mail intake takes them). */
  audience: Audience;
  /** Staff roles that may take it; every role where absent. */
  roles?: readonly StaffRole[];
  /** The HTTP path segment, where it is not the action's name in kebab-case. */
  path?: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** Actions that may repeat: at most `perDay` of them per complaint in 24 hours, counted by their timeline `event`. */
  rate?: { event: string; perDay: number };
  /** What the complainant's link must allow: `answer` where absent. */
  linkScope?: 'answer' | 'withdraw';
  /** Taken only once the complaint is closed (`true`), or open and closed alike (`'also'`); every other action is refused once closed. */
  whenClosed?: true | 'also';
  body: () => S;
  /** Why it cannot be taken now, if it cannot; the common checks (closed, who, how often, how much) come first. */
  guard?: (dossier: Dossier, body: Zod.infer<S>, ctx: GuardContext) => Refusal | undefined;
}

export const action = <S extends Zod.ZodType>(definition: ActionDefinition<S>): ActionDefinition<S> => definition;

/** Free text sizes: small enough that 200 of the largest of each kind fit in a dossier (domain/actions/index.ts). */
export const limits = {
  line: 200,
  note: 2_000,
  text: 4_000,
  long: 20_000,
  letter: 50_000,
} as const;

// Schema fragments, built inside the body thunks.
export const text = (max: number, message?: string) => z.string().trim().min(1, message).max(max, `at most ${max} characters`).regex(textPattern, textRule);
/** A name or a role: one line, as it may stand in an e-mail. */
export const line = (max: number) => z.string().trim().min(1).max(max, `at most ${max} characters`).regex(linePattern, lineRule);
export const staffId = () => z.string().regex(/^[a-z0-9._-]+$/, 'a staff id is lower-case letters, digits, dots, dashes or underscores');
export const instant = (example: string) => z.iso.datetime({ offset: true, message: `an ISO date-time with offset, such as ${example}` });
export const appealLevel = () => z.number().int().positive();
