// What staff do with a complaint: take it up, be in touch, hear the complainant, move a term,
// send the position, record what the complainant told them, close what the procedure leaves to them.
import type { Dossier } from '../dossier';
import { z } from '../lazy-zod';
import { closesAt, currentDue, isInvolved, openSuspension, openWindows, pendingAppeal, pendingReopening, runningTerms } from '../lifecycle';
import { localDateOf } from '../local-date';
import type { Refusal } from '../refusals';
import { contactChannels, deciders, hearingModes, writtenChannels, type TermName } from '../vocabulary';
import { openAppealAt, hearingRefusal } from './appeals';
import { satisfactionRefusal } from './complainant';
import { action, appealLevel, instant, limits, line, staffId, text } from './define';

const day = (dossier: Dossier, at: string | number) => localDateOf(new Date(at), dossier.timezone);

/** What the complainant told staff outside the link happened when staff say, and not before the complaint. */
function receivedRefusal(dossier: Dossier, receivedAt: string, now: number): Refusal | undefined {
  if (Date.parse(receivedAt) > now) return { code: 'ReceivedInFuture', at: receivedAt };
  if (Date.parse(receivedAt) < Date.parse(dossier.receivedAt)) return { code: 'ReceivedBeforeComplaint', at: receivedAt };
  return undefined;
}

/** Terms staff can extend: the ones that run from receipt, and an internal appeal level's decision term. */
const extendableTerm = /^(acknowledge|firstContact|resolve|maxLeadTime|appeal[1-9]Decide)$/;

export const staffActions = {
  assign: action({
    audience: 'staff',
    roles: deciders,
    summary: 'Assign a handler (not someone the complaint is about)',
    rate: { event: 'assigned', perDay: 30 },
    body: () => z.strictObject({ handler: staffId() }),
    guard: (dossier, { handler }) => (isInvolved(dossier, handler) ? { code: 'AssigneeInvolved', staffId: handler } : undefined),
  }),
  addInvolved: action({
    audience: 'staff',
    summary: 'Add a person the complaint is about',
    rate: { event: 'involved-added', perDay: 30 },
    body: () => z.strictObject({ name: line(limits.line), staffId: staffId().optional(), role: line(100).optional() }),
    guard: (dossier, { staffId: id }) => (id !== undefined && id === dossier.handler ? { code: 'HandlerInvolved', staffId: id } : undefined),
  }),
  logContact: action({
    audience: 'staff',
    summary: 'Log a phone call, e-mail, letter or meeting with the complainant',
    rate: { event: 'contact', perDay: 30 },
    body: () =>
      z.strictObject({
        channel: z.enum(contactChannels),
        summary: text(limits.text, 'say in a sentence what was discussed'),
        /** When it happened, where that was earlier than now: a call at 09:10 logged at 11:00. */
        at: instant('2026-05-12T09:10:00+02:00').optional(),
        /** What was agreed: the complainant receives it in writing where the procedure says so, or where they wish it. */
        agreements: text(limits.text, 'say what was agreed').optional(),
        /** The complainant wishes the agreements in writing (Klassewerk: "indien gewenst"). */
        confirmInWriting: z.boolean().optional(),
      }),
    guard: (dossier, { at, agreements, confirmInWriting }, { now }) => {
      if (confirmInWriting && !agreements) return { code: 'NoAgreementsToConfirm' };
      if (at === undefined) return undefined;
      if (Date.parse(at) > now) return { code: 'ContactInFuture', at };
      if (Date.parse(at) < Date.parse(dossier.receivedAt)) return { code: 'ContactBeforeComplaint', at };
      return undefined;
    },
  }),
  scheduleHearing: action({
    audience: 'staff',
    summary: 'Invite the complainant to a hearing: when, how, where (or the Teams link) and who attends',
    rate: { event: 'hearing-scheduled', perDay: 10 },
    body: () =>
      z.strictObject({
        at: instant('2026-05-12T14:00:00+02:00'),
        mode: z.enum(hearingModes),
        location: text(500).optional(),
        attendees: z.array(line(limits.line)).max(10).optional(),
        /** The appeal level the hearing belongs to; without it, a hearing on the complaint itself. */
        level: appealLevel().optional(),
      }),
    guard: (dossier, { at, level }, { now }) => {
      if (Date.parse(at) <= now) return { code: 'HearingInPast', at };
      if (level === undefined) return undefined;
      const found = openAppealAt(dossier, level, 'internal');
      return 'code' in found ? found : undefined;
    },
  }),
  recordHearing: action({
    audience: 'staff',
    summary: 'Record that a hearing was held, with a short report',
    body: () => z.strictObject({ hearing: z.number().int().positive(), report: text(limits.text, 'write a short report of the hearing') }),
    guard: (dossier, { hearing: number }, { now }) => {
      const hearing = dossier.hearings.find((h) => h.number === number);
      if (!hearing) return { code: 'NoSuchHearing', number };
      if (hearing.held) return { code: 'HearingAlreadyHeld', number, heldOn: day(dossier, hearing.held.at) };
      if (Date.parse(hearing.at) > now) return { code: 'HearingNotYet', number, at: hearing.at };
      return undefined;
    },
  }),
  decideReopening: action({
    audience: 'staff',
    summary: 'Accept a request to reopen (the handling terms start again from now) or refuse it with a reason (the appeal route stays as it was)',
    whenClosed: 'also',
    rate: { event: 'reopening-decided', perDay: 5 },
    body: () => z.strictObject({ accept: z.boolean(), reason: text(limits.note).optional() }),
    guard: (dossier, { accept, reason }) => {
      if (!pendingReopening(dossier)) return { code: 'NoReopeningRequest' };
      if (!accept && !reason) return { code: 'ReopeningReasonRequired' };
      return undefined;
    },
  }),
  suspend: action({
    audience: 'staff',
    summary: 'Ask the complainant for information: the terms the procedure names stand still until they answer or the answer date passes',
    rate: { event: 'suspended', perDay: 5 },
    body: () =>
      z.strictObject({
        question: text(limits.note, 'ask what you need to know: the complainant receives it'),
        /** Absent: the procedure's answer time (5 working days by default). */
        answerBy: z.iso.date('the answer date is a date such as 2026-05-22').optional(),
      }),
    guard: (dossier, { answerBy }, { now }) => {
      const rule = dossier.rules.suspension;
      if (!rule) return { code: 'SuspensionNotInProcedure' };
      const open = openSuspension(dossier);
      if (open) return { code: 'AlreadySuspended', since: day(dossier, open.at), answerBy: open.answerBy };
      if (!rule.terms.some((name) => dossier.terms[name] && !dossier.terms[name].metAt)) return { code: 'NothingToSuspend', terms: rule.terms };
      if (answerBy !== undefined && answerBy <= day(dossier, now)) return { code: 'AnswerDateNotLater', answerBy };
      return undefined;
    },
  }),
  endSuspension: action({
    audience: 'staff',
    summary: 'The complainant answered otherwise (by phone, in person): the suspended terms run on',
    rate: { event: 'resumed', perDay: 5 },
    body: () => z.strictObject({ note: text(limits.note).optional() }),
    guard: (dossier) => (openSuspension(dossier) ? undefined : { code: 'NotSuspended' }),
  }),
  extendTerm: action({
    audience: 'staff',
    summary: 'Move a term to a new date, with the reason; the complainant is told',
    rate: { event: 'term-extended', perDay: 10 },
    body: () =>
      z.strictObject({
        term: z.string().regex(extendableTerm, 'a term is acknowledge, firstContact, resolve, maxLeadTime or appeal<level>Decide'),
        newDate: z.iso.date('the new date is a date such as 2026-05-22'),
        reason: text(limits.note, 'state the reason for the delay: the complainant is told'),
      }),
    guard: (dossier, { term: name, newDate }, { now }) => {
      const term = dossier.terms[name as TermName];
      if (!term || term.kind !== 'term') return { code: 'TermNotRunning', term: name, running: runningTerms(dossier) };
      if (term.metAt) return { code: 'TermAlreadyMet', term: name, metOn: day(dossier, term.metAt) };
      const { date } = currentDue(term);
      if (newDate <= date) return { code: 'NewDateNotLater', newDate, currentDate: date };
      if (newDate < day(dossier, now)) return { code: 'NewDatePassed', newDate };
      return undefined;
    },
  }),
  sendPosition: action({
    audience: 'staff',
    summary: 'Send the written, reasoned position',
    body: () =>
      z.strictObject({
        text: text(limits.letter, 'the position must be written and reasoned'),
        solution: text(limits.long).optional(),
        agreements: text(limits.long).optional(),
        /** Why the position goes out before a planned hearing was held. */
        hearingSkipped: text(limits.text).optional(),
      }),
    guard: (dossier, { hearingSkipped }) => {
      if (dossier.position) return { code: 'PositionAlreadySent', sentOn: day(dossier, dossier.position.at) };
      return hearingRefusal(dossier, undefined, hearingSkipped);
    },
  }),
  recordCause: action({
    audience: 'staff',
    summary: 'Record the cause and the preventive measures',
    rate: { event: 'cause-recorded', perDay: 10 },
    body: () =>
      z.strictObject({
        cause: text(limits.text, 'name the cause'),
        measures: text(limits.text, 'name the preventive measures'),
        /** How the measures are made known inside the organisation, and from when (StudiJob asks both). */
        communicatedHow: text(limits.text, 'say how the measures are communicated').optional(),
        communicatedOn: z.iso.date('a date such as 2026-06-01').optional(),
      }),
    // Fixed at intake: a complaint from before the rule is not held to it.
    guard: (dossier, { communicatedHow, communicatedOn }) =>
      dossier.rules.causeCommunication && (!communicatedHow || !communicatedOn) ? { code: 'CauseCommunicationRequired', missing: [...(communicatedHow ? [] : ['communicatedHow']), ...(communicatedOn ? [] : ['communicatedOn'])] } : undefined,
  }),
  recordSatisfaction: action({
    audience: 'staff',
    summary: 'Record a "satisfied?" answer the complainant gave by phone, e-mail, letter or in a meeting',
    body: () =>
      z.strictObject({
        satisfied: z.boolean(),
        channel: z.enum(contactChannels),
        receivedAt: instant('2026-05-12T14:00:00+02:00'),
        comment: text(limits.text).optional(),
      }),
    guard: (dossier, { satisfied, channel, receivedAt }, { now }) => {
      const refused = receivedRefusal(dossier, receivedAt, now) ?? satisfactionRefusal(dossier, satisfied, true);
      if (refused || !satisfied) return refused;
      if (dossier.rules.satisfactionRequiredToClose && !writtenChannels.includes(channel)) return { code: 'WrittenConfirmationRequired' };
      if (dossier.rules.requireRootCause && !dossier.cause) return { code: 'RootCauseRequired' };
      return undefined;
    },
  }),
  recordWithdrawal: action({
    audience: 'staff',
    summary: 'Record a withdrawal the complainant stated by phone, e-mail, letter or in a meeting',
    body: () =>
      z.strictObject({
        channel: z.enum(contactChannels),
        receivedAt: instant('2026-05-12T14:00:00+02:00'),
        statement: text(limits.text, "write down the complainant's own words"),
      }),
    guard: (dossier, { receivedAt }, { now }) => receivedRefusal(dossier, receivedAt, now),
  }),
  close: action({
    audience: 'staff',
    summary: 'Close a complaint the complainant left unanswered, where the procedure leaves that to staff',
    body: () => z.strictObject({ outcome: z.enum(['no_response']), text: text(limits.text).optional() }),
    guard: (dossier, _body, { now }) => {
      if (!dossier.position) return { code: 'NoPositionYet' };
      const pending = pendingAppeal(dossier);
      if (pending) return { code: 'AppealPending', level: pending.level };
      const answer = dossier.satisfaction;
      if (answer) return { code: 'AlreadyAnswered', answeredOn: day(dossier, answer.at), satisfied: answer.satisfied };
      const open = openWindows(dossier, now).map(([, term]) => day(dossier, closesAt(term))).sort();
      if (open.length) return { code: 'AnswerPeriodRunning', until: open.at(-1)! };
      if (dossier.rules.requireRootCause && !dossier.cause) return { code: 'RootCauseRequired' };
      return undefined;
    },
  }),
  destroyEarly: action({
    audience: 'staff',
    roles: ['director'],
    summary: 'Destroy a closed dossier before its date, with the reason (a request for erasure, say); the history goes with the namespace retention',
    whenClosed: true,
    body: () => z.strictObject({ reason: text(limits.text, 'say why the dossier is destroyed before its date (no personal data: the reason is listed in the destruction statement)') }),
  }),
  revokeLinks: action({
    audience: 'staff',
    summary: "Revoke every link to the complainant's dossier (a forwarded e-mail, a shared computer) and e-mail them a new one",
    whenClosed: 'also',
    rate: { event: 'links-revoked', perDay: 5 },
    body: () => z.strictObject({ reason: text(limits.text, 'say why the links are revoked') }),
  }),
  markPosted: action({
    audience: 'staff',
    summary: 'Record that a letter to a complainant without an e-mail address was posted (a term it meets is met then)',
    // The closure's letter is made once the complaint is closed.
    whenClosed: 'also',
    rate: { event: 'letter-posted', perDay: 50 },
    body: () =>
      z.strictObject({
        /** The letter's place in the correspondence. */
        letter: z.number().int().nonnegative(),
        /** When it was posted, where that was earlier than now. */
        at: instant('2026-05-12T16:30:00+02:00').optional(),
      }),
    guard: (dossier, { letter, at }, { now }) => {
      const entry = dossier.correspondence[letter];
      if (entry?.to !== 'complainant' || entry.status !== 'to-post') return { code: 'NoLetterToPost', letter };
      if (at === undefined) return undefined;
      if (Date.parse(at) > now) return { code: 'PostedInFuture', at };
      if (Date.parse(at) < Date.parse(entry.at)) return { code: 'PostedBeforeLetter', at, readyAt: entry.at };
      return undefined;
    },
  }),
  judgeMail: action({
    audience: 'staff',
    summary: "Say whether an e-mail from another address than the complainant's (it named the reference) belongs to the complaint",
    whenClosed: 'also',
    rate: { event: 'mail-judged', perDay: 50 },
    body: () => z.strictObject({ mail: z.number().int().nonnegative(), belongs: z.boolean() }),
    guard: (dossier, { mail }) => {
      const entry = dossier.correspondence[mail];
      return entry?.status === 'received' && entry.from?.complainant === false && !entry.judged ? undefined : { code: 'NothingToJudge', mail };
    },
  }),
  addNote: action({
    audience: 'staff',
    summary: 'Add an internal note',
    rate: { event: 'note', perDay: 50 },
    body: () => z.strictObject({ text: text(limits.note) }),
  }),
};

