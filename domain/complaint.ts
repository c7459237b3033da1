// The intake: what a complaint is when it comes in (SPEC §6), and what the workflow starts with.
import { z } from 'zod';
import type { AttachmentRef } from './attachments';
import { linePattern, lineRule, mailboxPattern, mailboxRule, textPattern, textRule } from './text-rules';
import { type IntakeChannel, type Language, languages } from './vocabulary';

/** A one-line field (a name, an address line): what the e-mails may put in a greeting. */
const line = (max: number) => z.string().trim().min(1).max(max).regex(linePattern, lineRule);
/** Free text: line breaks allowed, control characters not. */
const freeText = (max: number, empty?: string) => z.string().trim().min(1, empty).max(max).regex(textPattern, textRule);

export const procedureIdSchema = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'a procedure id is lower-case letters, digits and dashes');

export const addressSchema = z.strictObject({
  street: line(200),
  postalCode: line(20),
  city: line(100),
});

export const complainantSchema = z.strictObject({
  name: line(200).optional(),
  email: z.string().trim().max(254).regex(mailboxPattern, mailboxRule),
  phone: line(40).optional(),
  address: addressSchema.optional(),
  type: line(60).optional(),
});
/**
 * A complainant staff register (by phone, letter, at the desk) may have no e-mail address: then
 * every e-mail to them becomes a letter to post, so a postal address is needed instead.
 */
export const staffComplainantSchema = complainantSchema.extend({
  email: complainantSchema.shape.email.optional(),
});
export type Complainant = z.infer<typeof staffComplainantSchema>;

/** The public intake body of `POST /api/complaints` (SPEC §6). */
export const intakeSchema = z.strictObject({
  procedure: procedureIdSchema,
  complainant: complainantSchema,
  category: line(60).optional(),
  description: freeText(20_000, 'describe the complaint'),
  whatHappened: freeText(20_000).optional(),
  expected: freeText(20_000).optional(),
  occurredOn: z.iso.date().optional(),
  language: z.enum(languages).optional(),
});
export type IntakeRequest = z.infer<typeof intakeSchema>;

/** What the API hands the workflow at start: the intake plus what the server decided. */
export interface ComplaintInput extends Omit<IntakeRequest, 'language' | 'complainant'> {
  /** Without an e-mail address only where staff registered it: letters then go by post. */
  complainant: Complainant;
  reference: string;
  language: Language;
  receivedAt: string;
  channel: IntakeChannel;
  /** The staff id that registered a complaint received by phone, in person, by e-mail or letter. */
  registeredBy?: string;
  /** A complaint that came in as an e-mail (issue 16): its Message-ID, and the receiving server's verdict on its sender. */
  mail?: InboundMail;
  /** That e-mail's attachments (kept ones in the attachment store, refused ones with the reason). */
  attachments?: AttachmentRef[];
  /** Fields the procedure requires that the e-mail could not supply: the receipt asks for them, the complainant completes them. */
  incomplete?: CompletableField[];
  /** How many history events one run may hold before it continues as new (default 2,000); a test or an operator may lower it. */
  historyBudget?: number;
}

/** Staff intake (`POST /api/admin/complaints`): a complaint received earlier by another channel. */
export const staffIntakeSchema = intakeSchema.extend({
  complainant: staffComplainantSchema,
  receivedAt: z.iso.datetime({ offset: true, message: 'receivedAt is an ISO date-time with offset, such as 2026-04-24T10:15:00+02:00' }),
  channel: z.enum(['phone', 'in-person', 'email', 'letter']),
});
export type StaffIntakeRequest = z.infer<typeof staffIntakeSchema>;

/** The required fields a complainant can complete on their dossier page (a category or type is staff's to set). */
export const completableFields = ['name', 'phone', 'address', 'whatHappened', 'expected', 'occurredOn'] as const;
export type CompletableField = (typeof completableFields)[number];

/** The receiving server's verdict on an e-mail's sender, per check (RFC 8601 result words). */
export const mailAuthVerdicts = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'] as const;
export type MailAuthVerdict = (typeof mailAuthVerdicts)[number];

/** An e-mail as it came in: its Message-ID and, where the SMTP listener checked them, its SPF, DKIM and DMARC verdicts. */
export interface InboundMail {
  messageId: string;
  auth?: { spf: MailAuthVerdict; dkim: MailAuthVerdict; dmarc: MailAuthVerdict };
}

/** The rules of a procedure the workflow enforces, fixed at intake like the terms. */
export interface ProcedureRules {
  requireRootCause: boolean;
  satisfactionRequiredToClose: boolean;
  notifyManagerOnReceipt: boolean;
  /** Where set: the complainant's dossier names the people involved. */
  showInvolvedPeople?: boolean;
  /** Where set: the cause record says how and when the measures are communicated internally. */
  causeCommunication?: boolean;
  /** Where set: agreements of a logged contact go to the complainant by e-mail, always or when they wish. */
  agreementsInWriting?: 'always' | 'on-request';
  /** Where set: staff may suspend these terms while they wait for the complainant's answer. */
  suspension?: SuspensionRule;
  /** Where set: the complainant may ask to reopen the complaint, up to this long after its closure. */
  reopening?: { afterClosure: SuspensionRule['answerWithin'] };
}

/** Which terms stand still while a question to the complainant is open, and how long they have to answer. */
export interface SuspensionRule {
  answerWithin: { within: number; unit: 'workingDays' | 'days' | 'weeks' | 'months' | 'years' };
  terms: ('acknowledge' | 'firstContact' | 'resolve' | 'maxLeadTime')[];
}
