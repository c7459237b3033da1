import { z } from 'zod';

// One union per fact: the lifecycle of SPEC §4.
export const complaintStatuses = [
  'received',
  'in_progress',
  'awaiting_complainant',
  'in_appeal',
  'with_external_body',
  'closed',
] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

export const complaintOutcomes = [
  'satisfied',
  'no_response',
  'dissatisfied',
  'appeal_decided',
  'external_decided',
  'withdrawn',
] as const;
export type ComplaintOutcome = (typeof complaintOutcomes)[number];

export const languages = ['nl', 'en'] as const;
export type Language = (typeof languages)[number];

export const intakeChannels = ['web', 'phone', 'in-person', 'email', 'letter'] as const;
export type IntakeChannel = (typeof intakeChannels)[number];

export const procedureIdSchema = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'a procedure id is lower-case letters, digits and dashes');

export const addressSchema = z.strictObject({
  street: z.string().trim().min(1).max(200),
  postalCode: z.string().trim().min(1).max(20),
  city: z.string().trim().min(1).max(100),
});

export const complainantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(254),
  phone: z.string().trim().min(1).max(40).optional(),
  address: addressSchema.optional(),
  type: z.string().trim().min(1).max(60).optional(),
});
export type Complainant = z.infer<typeof complainantSchema>;

/** The public intake body of `POST /api/complaints` (SPEC §6). */
export const intakeSchema = z.strictObject({
  procedure: procedureIdSchema,
  complainant: complainantSchema,
  category: z.string().trim().min(1).max(60).optional(),
  description: z.string().trim().min(1, 'describe the complaint').max(20_000),
  whatHappened: z.string().trim().min(1).max(20_000).optional(),
  expected: z.string().trim().min(1).max(20_000).optional(),
  occurredOn: z.iso.date().optional(),
  language: z.enum(languages).optional(),
});
export type IntakeRequest = z.infer<typeof intakeSchema>;

/** What the API hands the workflow at start: the intake plus what the server decided. */
export interface ComplaintInput extends Omit<IntakeRequest, 'language'> {
  reference: string;
  language: Language;
  receivedAt: string;
  channel: IntakeChannel;
  /** The staff id that registered a complaint received by phone, in person, by e-mail or letter. */
  registeredBy?: string;
}

/** Staff intake (`POST /api/admin/complaints`): a complaint received earlier by another channel. */
export const staffIntakeSchema = intakeSchema.extend({
  receivedAt: z.iso.datetime({ offset: true, message: 'receivedAt is an ISO date-time with offset, such as 2026-04-24T10:15:00+02:00' }),
  channel: z.enum(['phone', 'in-person', 'email', 'letter']),
});
export type StaffIntakeRequest = z.infer<typeof staffIntakeSchema>;

// Staff actions (SPEC §4): the body the API takes, plus `by`, the staff id of the token.
const staffId = z.string().regex(/^[a-z0-9._-]+$/, 'a staff id is lower-case letters, digits, dots, dashes or underscores');
const byStaff = { by: staffId };

export const closeSchema = z.strictObject({
  outcome: z.enum(complaintOutcomes),
  text: z.string().trim().min(1).max(20_000).optional(),
  // Optional: closes recorded before v0.6 carried no staff id.
  by: staffId.optional(),
});
export type CloseRequest = z.infer<typeof closeSchema>;

export const assignSchema = z.strictObject({ handler: staffId, ...byStaff });
export type AssignRequest = z.infer<typeof assignSchema>;

export const addInvolvedSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  staffId: staffId.optional(),
  role: z.string().trim().min(1).max(100).optional(),
  ...byStaff,
});
export type AddInvolvedRequest = z.infer<typeof addInvolvedSchema>;

export const contactChannelsLogged = ['phone', 'email', 'meeting', 'letter'] as const;
export const logContactSchema = z.strictObject({
  channel: z.enum(contactChannelsLogged),
  summary: z.string().trim().min(1, 'say in a sentence what was discussed').max(20_000),
  ...byStaff,
});
export type LogContactRequest = z.infer<typeof logContactSchema>;

export const sendPositionSchema = z.strictObject({
  text: z.string().trim().min(1, 'the position must be written and reasoned').max(50_000),
  solution: z.string().trim().min(1).max(20_000).optional(),
  agreements: z.string().trim().min(1).max(20_000).optional(),
  ...byStaff,
});
export type SendPositionRequest = z.infer<typeof sendPositionSchema>;

// Complainant actions: `by` is not theirs to give; the API knows them by their link.
export const respondSatisfactionSchema = z.strictObject({
  satisfied: z.boolean(),
  comment: z.string().trim().min(1).max(20_000).optional(),
});
export type RespondSatisfactionRequest = z.infer<typeof respondSatisfactionSchema>;

export const withdrawSchema = z.strictObject({ reason: z.string().trim().min(1).max(20_000).optional() });
export type WithdrawRequest = z.infer<typeof withdrawSchema>;

export const recordCauseSchema = z.strictObject({
  cause: z.string().trim().min(1, 'name the cause').max(20_000),
  measures: z.string().trim().min(1, 'name the preventive measures').max(20_000),
  ...byStaff,
});
export type RecordCauseRequest = z.infer<typeof recordCauseSchema>;

export const addNoteSchema = z.strictObject({ text: z.string().trim().min(1).max(20_000), ...byStaff });
export type AddNoteRequest = z.infer<typeof addNoteSchema>;

export const addInformationSchema = z.strictObject({ text: z.string().trim().min(1, 'write the information to add').max(20_000) });
export type AddInformationRequest = z.infer<typeof addInformationSchema>;

/** Terms staff can extend: the ones that run from receipt, and an internal appeal level's decision term. */
export const extendableTermPattern = /^(acknowledge|firstContact|resolve|maxLeadTime|appeal[1-9]Decide)$/;
export const extendTermSchema = z.strictObject({
  term: z.string().regex(extendableTermPattern, 'a term is acknowledge, firstContact, resolve, maxLeadTime or appeal<level>Decide'),
  newDate: z.iso.date('the new date is a date such as 2026-05-22'),
  reason: z.string().trim().min(1, 'state the reason for the delay: the complainant is told').max(5_000),
  ...byStaff,
});
export type ExtendTermRequest = z.infer<typeof extendTermSchema>;

export const hearingModes = ['teams', 'phone', 'in-person'] as const;
export type HearingMode = (typeof hearingModes)[number];
export const scheduleHearingSchema = z.strictObject({
  at: z.iso.datetime({ offset: true, message: 'the hearing time is an ISO date-time with offset, such as 2026-05-12T14:00:00+02:00' }),
  mode: z.enum(hearingModes),
  location: z.string().trim().min(1).max(500).optional(),
  /** The appeal level the hearing belongs to; without it, a hearing on the complaint itself. */
  level: z.number().int().positive().optional(),
  ...byStaff,
});
export type ScheduleHearingRequest = z.infer<typeof scheduleHearingSchema>;

export const fileAppealSchema = z.strictObject({
  grounds: z.string().trim().min(1, 'write why you disagree with the position').max(20_000),
});
export type FileAppealRequest = z.infer<typeof fileAppealSchema>;

export const appealDecisions = ['upheld', 'partly-upheld', 'rejected'] as const;
export type AppealDecision = (typeof appealDecisions)[number];
export const decideAppealSchema = z.strictObject({
  level: z.number().int().positive(),
  decision: z.enum(appealDecisions),
  text: z.string().trim().min(1, 'the decision must be reasoned').max(50_000),
  ...byStaff,
});
export type DecideAppealRequest = z.infer<typeof decideAppealSchema>;

export const recordExternalReferralSchema = z.strictObject({
  level: z.number().int().positive(),
  caseNumber: z.string().trim().min(1).max(100).optional(),
  ...byStaff,
});
export type RecordExternalReferralRequest = z.infer<typeof recordExternalReferralSchema>;

export const externalOutcomes = ['upheld', 'partly-upheld', 'rejected', 'settled'] as const;
export type ExternalOutcome = (typeof externalOutcomes)[number];
export const recordExternalOutcomeSchema = z.strictObject({
  level: z.number().int().positive(),
  outcome: z.enum(externalOutcomes),
  text: z.string().trim().min(1, 'summarise the outcome').max(50_000),
  ...byStaff,
});
export type RecordExternalOutcomeRequest = z.infer<typeof recordExternalOutcomeSchema>;

/** The rules of a procedure the workflow enforces, fixed at intake like the terms. */
export interface ProcedureRules {
  requireRootCause: boolean;
  satisfactionRequiredToClose: boolean;
  notifyManagerOnReceipt: boolean;
}
