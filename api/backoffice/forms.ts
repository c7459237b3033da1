// The dossier page's action forms: which actions the complaint allows now (asked of the same
// guards the workflow's validators use), each form's fields with Dutch labels and local dates
// and times, and the form's values turned into the action's body, with an error per field.
import type { z } from 'zod';
import type { StaffMember } from '../../config/staff';
import { type ActionName, bodySchema, refusalFor } from '../../domain/actions';
import type { Dossier, DossierTerm, TermName } from '../../domain/dossier';
import { pendingAppeal } from '../../domain/lifecycle';
import { dateInWords, instantInWords, localDateOf } from '../../domain/local-date';
import { type Refusal, type RefusalCode, refusalField } from '../../domain/refusals';
import { lineRule, textRule } from '../../domain/text-rules';
import { type Actor, appealDecisions, contactChannels, externalOutcomes, hearingModes } from '../../domain/vocabulary';
import { termLabel } from '../../domain/words';
import { instantOfWallClock, wallClockOf } from '../../domain/zoned-time';
import type { ActionTexts } from './action-texts';

export type Values = Record<string, string | undefined>;
export type FieldErrors = Record<string, string>;

type FieldKind = 'text' | 'textarea' | 'select' | 'radio' | 'date' | 'datetime' | 'lines' | 'hidden';
interface FieldSpec {
  id: string;
  kind: FieldKind;
  required?: boolean;
  /** Choices: value and the words shown. */
  options?: { value: string; label: string }[];
  /** The value shown on a fresh form. */
  initial?: string;
  hint?: string;
}

export interface FormContext {
  dossier: Dossier;
  staff: readonly StaffMember[];
  t: ActionTexts;
  language: 'nl' | 'en';
  now: Date;
}

interface FormSpec {
  /** The fields, or undefined where there is nothing to act on (no term running, no hearing planned). */
  fields(ctx: FormContext): FieldSpec[] | undefined;
  /** Bodies that ask the guard whether the form belongs on the page now; one that passes is enough. */
  probes(ctx: FormContext): Record<string, unknown>[];
}

const choices = (values: readonly string[], words: Record<string, string> | undefined) => values.map((value) => ({ value, label: words?.[value] ?? value }));
const internalPending = (dossier: Dossier) => {
  const appeal = pendingAppeal(dossier);
  return appeal?.kind === 'internal' ? appeal : undefined;
};
const externalPending = (dossier: Dossier) => {
  const appeal = pendingAppeal(dossier);
  return appeal && appeal.kind !== 'internal' ? appeal : undefined;
};
/** Terms staff can move: running, not met, from receipt or an internal level's decision. */
const extendable = (dossier: Dossier): [TermName, DossierTerm][] =>
  (Object.entries(dossier.terms) as [TermName, DossierTerm][]).filter(([name, term]) => term.kind === 'term' && !term.metAt && /^(acknowledge|firstContact|resolve|maxLeadTime|appeal[1-9]Decide)$/.test(name));
/** E-mails from another address than the complainant's, not judged yet, with their place in the correspondence. */
const mailsToJudge = (dossier: Dossier): [number, Dossier['correspondence'][number]][] =>
  dossier.correspondence.flatMap((entry, id): [number, Dossier['correspondence'][number]][] => (entry.status === 'received' && entry.from?.complainant === false && !entry.judged ? [[id, entry]] : []));
/** Letters to the complainant waiting to be posted, with their place in the correspondence. */
export const lettersToPost = (dossier: Dossier): [number, Dossier['correspondence'][number]][] =>
  dossier.correspondence.flatMap((entry, id): [number, Dossier['correspondence'][number]][] => (entry.to === 'complainant' && entry.status === 'to-post' ? [[id, entry]] : []));
/** The appeal level an action is about: the one pending, carried by the form. */
const levelChoice = (level: number | undefined): FieldSpec[] => (level === undefined ? [] : [{ id: 'level', kind: 'hidden', initial: String(level) }]);
const isoNow = (ctx: FormContext) => ctx.now.toISOString();
const later = (ctx: FormContext) => new Date(ctx.now.getTime() + 7 * 24 * 3600_000).toISOString();

/** The forms, in the order a complaint is usually handled. */
const forms: Partial<Record<ActionName, FormSpec>> = {
  // A letter waiting to be posted comes first: a term may hang on it.
  judgeMail: {
    fields: ({ dossier, language, t }) => {
      const open = mailsToJudge(dossier);
      if (!open.length) return undefined;
      const options = open.map(([id, entry]) => ({ value: String(id), label: `${entry.from?.address ?? '?'}: ${entry.subject} (${instantInWords(language, entry.at, dossier.timezone)})` }));
      return [
        { id: 'mail', kind: 'select', required: true, options, initial: options[0]!.value },
        { id: 'belongs', kind: 'radio', required: true, options: choices(['yes', 'no'], t.values.belongs) },
      ];
    },
    probes: ({ dossier }) => mailsToJudge(dossier).map(([mail]) => ({ mail, belongs: true })),
  },
  markPosted: {
    fields: ({ dossier, language, t }) => {
      const letters = lettersToPost(dossier);
      if (!letters.length) return undefined;
      const options = letters.map(([id, letter]) => ({ value: String(id), label: `${letter.subject} (${instantInWords(language, letter.at, dossier.timezone)})` }));
      return [
        { id: 'letter', kind: 'select', required: true, options, initial: options[0]!.value },
        { id: 'at', kind: 'datetime', hint: t.now },
      ];
    },
    probes: ({ dossier }) => lettersToPost(dossier).map(([letter]) => ({ letter })),
  },
  assign: {
    fields: ({ dossier, staff }) => {
      const options = staff.filter((m) => m.id !== dossier.handler && !dossier.involved.some((p) => p.staffId === m.id)).map((m) => ({ value: m.id, label: m.name }));
      return options.length ? [{ id: 'handler', kind: 'select', required: true, options }] : undefined;
    },
    probes: ({ dossier, staff }) => staff.filter((m) => m.id !== dossier.handler).slice(0, 1).map((m) => ({ handler: m.id })),
  },
  logContact: {
    fields: ({ t, dossier }) => [
      { id: 'channel', kind: 'select', required: true, options: choices(contactChannels, t.values.channel), initial: 'phone' },
      { id: 'at', kind: 'datetime', hint: t.now },
      { id: 'summary', kind: 'textarea', required: true },
      // Agreements go to the complainant in writing: always where the procedure says so (Babbage), else when they wish it.
      { id: 'agreements', kind: 'textarea', ...(dossier.rules.agreementsInWriting === 'always' ? { hint: t.agreementsAlwaysSent } : {}) },
      ...(dossier.rules.agreementsInWriting === 'always' ? [] : [{ id: 'confirmInWriting', kind: 'radio' as const, options: choices(['yes', 'no'], t.values.confirmInWriting), initial: 'no' }]),
    ],
    probes: () => [{ channel: 'phone', summary: '-' }],
  },
  scheduleHearing: {
    fields: (ctx) => [
      { id: 'at', kind: 'datetime', required: true },
      { id: 'mode', kind: 'select', required: true, options: choices(hearingModes, ctx.t.values.mode), initial: 'teams' },
      { id: 'location', kind: 'text' },
      { id: 'attendees', kind: 'lines', hint: ctx.t.onePerLine },
      ...levelChoice(internalPending(ctx.dossier)?.level),
    ],
    probes: (ctx) => [{ at: later(ctx), mode: 'teams', ...(internalPending(ctx.dossier) ? { level: internalPending(ctx.dossier)!.level } : {}) }],
  },
  recordHearing: {
    fields: ({ dossier, t, language }) => {
      const open = dossier.hearings.filter((h) => !h.held);
      if (!open.length) return undefined;
      const options = open.map((h) => ({ value: String(h.number), label: t.hearingNumber(h.number, instantInWords(language, h.at, dossier.timezone, 'long')) }));
      return [
        { id: 'hearing', kind: 'select', required: true, options, initial: options.at(-1)!.value },
        { id: 'report', kind: 'textarea', required: true },
      ];
    },
    probes: ({ dossier }) => dossier.hearings.filter((h) => !h.held).map((h) => ({ hearing: h.number, report: '-' })),
  },
  sendPosition: {
    fields: (ctx) => [
      { id: 'text', kind: 'textarea', required: true },
      { id: 'solution', kind: 'textarea' },
      { id: 'agreements', kind: 'textarea' },
      // Only where a planned hearing was not held: staff say why they go on without it.
      ...(refusalFor('sendPosition', ctx.dossier, { actor: { kind: 'staff', id: 'probe', roles: ['handler'] }, input: { text: '-' } }, ctx.now.getTime())?.code === 'HearingNotHeld'
        ? [{ id: 'hearingSkipped', kind: 'textarea' as const }]
        : []),
    ],
    probes: () => [{ text: '-' }],
  },
  // A request to reopen: accepted (the handling terms start again) or refused with a reason.
  decideReopening: {
    fields: ({ t }) => [
      { id: 'accept', kind: 'radio', required: true, options: choices(['yes', 'no'], t.values.accept) },
      { id: 'reason', kind: 'textarea' },
    ],
    probes: () => [{ accept: true }, { accept: false, reason: '-' }],
  },
  // A question to the complainant that holds the terms (where the procedure has suspension), and its end.
  suspend: {
    fields: () => [
      { id: 'question', kind: 'textarea', required: true },
      { id: 'answerBy', kind: 'date' },
    ],
    probes: () => [{ question: '-' }],
  },
  endSuspension: {
    fields: () => [{ id: 'note', kind: 'textarea' }],
    probes: () => [{}],
  },
  extendTerm: {
    fields: ({ dossier, language }) => {
      const terms = extendable(dossier);
      if (!terms.length) return undefined;
      const options = terms.map(([name, term]) => ({ value: name, label: `${termLabel(language, name, dossier.route)} (${dateInWords(language, term.extendedTo ?? term.date)})` }));
      return [
        { id: 'term', kind: 'select', required: true, options },
        { id: 'newDate', kind: 'date', required: true },
        { id: 'reason', kind: 'textarea', required: true },
      ];
    },
    probes: ({ dossier }) => extendable(dossier).map(([term]) => ({ term, newDate: '2999-12-31', reason: '-' })),
  },
  recordSatisfaction: {
    fields: (ctx) => [
      { id: 'satisfied', kind: 'radio', required: true, options: choices(['yes', 'no'], ctx.t.values.satisfied) },
      { id: 'channel', kind: 'select', required: true, options: choices(contactChannels, ctx.t.values.channel), initial: 'phone' },
      { id: 'receivedAt', kind: 'datetime', required: true, initial: wallClockOf(ctx.now, ctx.dossier.timezone) },
      { id: 'comment', kind: 'textarea' },
    ],
    probes: (ctx) => [true, false].map((satisfied) => ({ satisfied, channel: 'letter', receivedAt: isoNow(ctx) })),
  },
  recordCause: {
    fields: (ctx) => [
      { id: 'cause', kind: 'textarea', required: true },
      { id: 'measures', kind: 'textarea', required: true },
      // Where the procedure asks it (StudiJob): how and when the measures are made known inside.
      ...(ctx.dossier.rules.causeCommunication
        ? ([
            { id: 'communicatedHow', kind: 'textarea', required: true },
            { id: 'communicatedOn', kind: 'date', required: true },
          ] satisfies FieldSpec[])
        : []),
    ],
    probes: () => [{ cause: '-', measures: '-', communicatedHow: '-', communicatedOn: '2026-01-01' }],
  },
  decideAppeal: {
    fields: (ctx) => {
      const appeal = internalPending(ctx.dossier);
      if (!appeal) return undefined;
      const skipped = refusalFor('decideAppeal', ctx.dossier, { actor: { kind: 'staff', id: 'probe', roles: ['director'] }, input: { level: appeal.level, decision: 'rejected', text: '-' } }, ctx.now.getTime());
      return [
        ...levelChoice(appeal.level),
        { id: 'decision', kind: 'radio', required: true, options: choices(appealDecisions, ctx.t.values.decision) },
        { id: 'text', kind: 'textarea', required: true },
        ...(skipped?.code === 'HearingNotHeld' || skipped?.code === 'HearingRequired' ? [{ id: 'hearingSkipped', kind: 'textarea' as const }] : []),
      ];
    },
    probes: ({ dossier }) => appealDecisions.map((decision) => ({ level: internalPending(dossier)?.level ?? 1, decision, text: '-' })),
  },
  recordExternalReferral: {
    fields: (ctx) => {
      const appeal = externalPending(ctx.dossier);
      return appeal && !appeal.referral ? [...levelChoice(appeal.level), { id: 'caseNumber', kind: 'text' }] : undefined;
    },
    probes: ({ dossier }) => [{ level: externalPending(dossier)?.level ?? 1 }],
  },
  recordExternalOutcome: {
    fields: (ctx) => {
      const appeal = externalPending(ctx.dossier);
      if (!appeal) return undefined;
      return [...levelChoice(appeal.level), { id: 'outcome', kind: 'select', required: true, options: choices(externalOutcomes, ctx.t.values.outcome) }, { id: 'text', kind: 'textarea', required: true }];
    },
    probes: ({ dossier }) => [{ level: externalPending(dossier)?.level ?? 1, outcome: 'rejected', text: '-' }],
  },
  close: {
    fields: () => [
      { id: 'outcome', kind: 'hidden', initial: 'no_response' },
      { id: 'text', kind: 'textarea' },
    ],
    probes: () => [{ outcome: 'no_response' }],
  },
  recordWithdrawal: {
    fields: (ctx) => [
      { id: 'channel', kind: 'select', required: true, options: choices(contactChannels, ctx.t.values.channel), initial: 'phone' },
      { id: 'receivedAt', kind: 'datetime', required: true, initial: wallClockOf(ctx.now, ctx.dossier.timezone) },
      { id: 'statement', kind: 'textarea', required: true },
    ],
    probes: (ctx) => [{ channel: 'phone', receivedAt: isoNow(ctx), statement: '-' }],
  },
  addInvolved: {
    fields: ({ staff }) => [
      { id: 'name', kind: 'text', required: true },
      { id: 'role', kind: 'text' },
      { id: 'staffId', kind: 'select', options: staff.map((m) => ({ value: m.id, label: m.name })) },
    ],
    probes: () => [{ name: '-' }],
  },
  addNote: { fields: () => [{ id: 'text', kind: 'textarea', required: true }], probes: () => [{ text: '-' }] },
  revokeLinks: { fields: () => [{ id: 'reason', kind: 'textarea', required: true }], probes: () => [{ reason: '-' }] },
  destroyEarly: { fields: () => [{ id: 'reason', kind: 'textarea', required: true }], probes: () => [{ reason: '-' }] },
};

export const formActions = Object.keys(forms) as ActionName[];
export const hasForm = (name: string): name is ActionName => Object.hasOwn(forms, name);

/** Refusals the form's own values can mend: the form stays, and says why next to its fields. */
const mendable = new Set<RefusalCode>(['HearingInPast', 'NewDateNotLater', 'NewDatePassed', 'HearingNotHeld', 'HearingRequired', 'WrittenConfirmationRequired', 'ContactInFuture', 'ReceivedInFuture', 'PostedInFuture', 'PostedBeforeLetter']);
/** Refusals the page says once, not per action. */
const pageWide = new Set<RefusalCode>(['ComplaintClosed', 'NotClosedYet', 'DestructionUnderway', 'InvalidRequest', 'NotYourAction']);

export const staffActor = (member: StaffMember): Actor => ({ kind: 'staff', id: member.id, roles: member.roles });

/** Which forms belong on the page for `member` now, and for the rest of their actions why not. */
export function availability(ctx: FormContext, member: StaffMember): { shown: ActionName[]; notNow: { name: ActionName; refusal: Refusal }[] } {
  const shown: ActionName[] = [];
  const notNow: { name: ActionName; refusal: Refusal }[] = [];
  const actor = staffActor(member);
  for (const name of formActions) {
    const spec = forms[name]!;
    if (!spec.fields(ctx)) continue;
    const refusals = spec.probes(ctx).map((input) => refusalFor(name, ctx.dossier, { actor, input }, ctx.now.getTime()));
    if (refusals.some((r) => r === undefined || mendable.has(r.code))) shown.push(name);
    else if (refusals[0] && !pageWide.has(refusals[0].code)) notNow.push({ name, refusal: refusals[0] });
  }
  return { shown, notNow };
}

export interface FieldView {
  id: string;
  name: string;
  kind: FieldKind;
  label: string;
  required: boolean;
  value: string;
  options: { value: string; label: string; selected: boolean }[];
  error?: string;
  hint?: string;
}

/** A form's fields as the template shows them: the values sent (or the fresh ones), and each field's error. */
export function fieldsOf(name: ActionName, ctx: FormContext, values: Values | undefined, errors: FieldErrors = {}): FieldView[] {
  return (forms[name]!.fields(ctx) ?? []).map((field) => {
    const value = values ? (values[field.id] ?? '') : (field.initial ?? '');
    return {
      id: `${name}-${field.id}`,
      name: field.id,
      kind: field.kind,
      label: ctx.t.fields[field.id] ?? field.id,
      required: field.required === true,
      value,
      options: (field.options ?? []).map((o) => ({ ...o, selected: o.value === value })),
      ...(errors[field.id] ? { error: errors[field.id] } : {}),
      ...(field.hint || !field.required ? { hint: [field.required ? undefined : ctx.t.optional, field.hint].filter(Boolean).join(', ') } : {}),
    };
  });
}

const trimmed = (values: Values, key: string): string | undefined => {
  const value = values[key]?.trim();
  return value ? value : undefined;
};

/** The form's values as the action's body: empty fields absent, local times with their offset, lists per line; or an error per field. */
export function bodyOf(name: ActionName, ctx: FormContext, values: Values): { body: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: Record<string, unknown> = {};
  for (const field of forms[name]!.fields(ctx) ?? []) {
    const value = trimmed(values, field.id);
    if (value === undefined) {
      if (field.required) errors[field.id] = field.kind === 'select' || field.kind === 'radio' ? ctx.t.errors.choose : field.kind === 'datetime' ? ctx.t.errors.dateTime : ctx.t.errors.missing;
      continue;
    }
    if (field.kind === 'datetime') {
      const instant = instantOfWallClock(value, ctx.dossier.timezone);
      if (instant) body[field.id] = instant;
      else errors[field.id] = ctx.t.errors.dateTime;
    } else if (field.kind === 'lines') body[field.id] = value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    else if (field.id === 'level' || field.id === 'hearing' || field.id === 'letter' || field.id === 'mail') body[field.id] = Number(value);
    else if (field.id === 'satisfied' || field.id === 'belongs' || field.id === 'confirmInWriting' || field.id === 'accept') body[field.id] = value === 'yes' ? true : value === 'no' ? false : value;
    else if (field.options && !field.options.some((o) => o.value === value)) errors[field.id] = ctx.t.errors.choose;
    else body[field.id] = value;
  }
  const parsed = (bodySchema(name) as z.ZodType).safeParse(body);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issueText(ctx.t, issue);
  }
  return { body: parsed.success ? (parsed.data as Record<string, unknown>) : body, errors };
}

function issueText(t: ActionTexts, issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return t.errors.missing;
  if (issue.code === 'too_big') return t.errors.tooLong(Number((issue as { maximum?: unknown }).maximum));
  if (issue.code === 'invalid_value' || issue.code === 'invalid_type') return t.errors.choose;
  if (issue.message === lineRule) return t.errors.oneLine;
  if (issue.message === textRule) return t.errors.controls;
  if (issue.code === 'invalid_format') return (issue as { format?: string }).format === 'date' ? t.errors.date : t.errors.dateTime;
  return t.errors.invalid;
}

/** Where a refusal's words go: next to its field where the table names one the form has, else above the form. */
export function refusalPlace(name: ActionName, ctx: FormContext, refusal: Refusal): string | undefined {
  const field = refusalField(refusal) ?? ({ HearingInPast: 'at', NewDateNotLater: 'newDate', NewDatePassed: 'newDate', WrittenConfirmationRequired: 'channel', AssigneeInvolved: 'handler' } as Partial<Record<RefusalCode, string>>)[refusal.code];
  return field && (forms[name]!.fields(ctx) ?? []).some((f) => f.id === field) ? field : undefined;
}

/** Today on the complaint's clock, for a date field's `min`. */
export const todayOf = (ctx: FormContext): string => localDateOf(ctx.now, ctx.dossier.timezone);
