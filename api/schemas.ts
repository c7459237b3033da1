// The HTTP contracts: the zod schemas the routes validate with, and the OpenAPI document is
// built from (api/openapi.ts). Bodies of actions are the workflow's update schemas without
// `by`, which the API takes from the staff token.
import { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/client';
import {
  addInformationSchema,
  addInvolvedSchema,
  addNoteSchema,
  assignSchema,
  closeSchema,
  complaintStatuses,
  decideAppealSchema,
  extendTermSchema,
  fileAppealSchema,
  intakeSchema,
  logContactSchema,
  procedureIdSchema,
  recordCauseSchema,
  recordExternalOutcomeSchema,
  recordExternalReferralSchema,
  respondSatisfactionSchema,
  scheduleHearingSchema,
  sendPositionSchema,
  staffIntakeSchema,
  withdrawSchema,
} from '../domain/complaint';
import type { Dossier } from '../domain/dossier';
import {
  addInformationUpdate,
  addInvolvedUpdate,
  addNoteUpdate,
  assignUpdate,
  closeUpdate,
  decideAppealUpdate,
  extendTermUpdate,
  fileAppealUpdate,
  logContactUpdate,
  recordCauseUpdate,
  recordExternalOutcomeUpdate,
  recordExternalReferralUpdate,
  respondSatisfactionUpdate,
  scheduleHearingUpdate,
  sendPositionUpdate,
  withdrawUpdate,
} from '../domain/messages';
import { referencePattern } from '../domain/reference';
import type { StaffRole } from '../config/staff';

export { intakeSchema, staffIntakeSchema };

export const referenceParam = z.string().regex(referencePattern, 'a reference looks like KL-2026-7QK2MD');

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), rule: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details: what went wrong and what to fix' });

export const intakeResponseSchema = z
  .object({ reference: z.string(), dossierUrl: z.url() })
  .meta({ id: 'IntakeResponse', description: "The complaint's reference and the complainant's personal link to the dossier" });

const termSchema = z.object({
  date: z.iso.date(),
  dueAt: z.string(),
  noticeBy: z.iso.date().optional(),
  trace: z.array(z.string()),
  metAt: z.string().optional(),
  breachedAt: z.string().optional(),
  extendedTo: z.iso.date().optional(),
});

export const dossierSchema = z
  .looseObject({
    reference: z.string(),
    procedure: z.string(),
    status: z.enum(complaintStatuses),
    outcome: z.string().optional(),
    receivedAt: z.string(),
    handler: z.string().optional(),
    terms: z.record(z.string(), termSchema),
    timeline: z.array(z.looseObject({ at: z.string(), actor: z.string(), event: z.string(), detail: z.string().optional() })),
    correspondence: z.array(z.looseObject({ at: z.string(), to: z.string(), subject: z.string(), messageId: z.string() })),
  })
  .meta({ id: 'Dossier', description: 'The complaint file (SPEC §6)' });

/** A date in the register's range: no complaint was received before 1970. */
const registerDate = (message: string) => z.iso.date(message).refine((date) => date >= '1970-01-01', 'from 1970-01-01 on');

export const registerQuerySchema = z.strictObject({
  status: z.enum(complaintStatuses).optional(),
  procedure: procedureIdSchema.optional(),
  overdue: z.enum(['true', 'false'], 'overdue is true or false').optional(),
  handler: z.string().regex(/^[a-z0-9._-]+$/, 'a staff id').optional(),
  receivedFrom: registerDate('receivedFrom is a date such as 2026-04-01').optional(),
  receivedTo: registerDate('receivedTo is a date such as 2026-06-30').optional(),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  pageToken: z.string().max(4096).optional(),
});
export type RegisterQuery = z.infer<typeof registerQuerySchema>;

export const reportQuerySchema = z.strictObject({ procedure: procedureIdSchema.optional() });

export const reportSchema = z
  .looseObject({
    period: z.object({ label: z.string(), from: z.iso.date(), to: z.iso.date() }),
    complaints: z.number().int(),
    byProcedure: z.record(z.string(), z.number()),
    byOutcome: z.record(z.string(), z.number()),
    terms: z.record(z.string(), z.record(z.string(), z.number())),
  })
  .meta({ id: 'Report', description: 'The analysis of a quarter or a year (SPEC §4.1)' });

export const registerRowSchema = z.object({
  reference: z.string(),
  procedure: z.string().optional(),
  status: z.string().optional(),
  category: z.string().optional(),
  handler: z.string().optional(),
  outcome: z.string().optional(),
  receivedAt: z.string().optional(),
  nextDeadline: z.string().optional(),
  closedAt: z.string().optional(),
  destroyOn: z.string().optional(),
  overdue: z.boolean().optional(),
});
export const registerResponseSchema = z
  .object({ complaints: z.array(registerRowSchema), nextPageToken: z.string().optional() })
  .meta({ id: 'Register', description: 'One page of the complaint register, from Temporal visibility' });

/** A staff action: its path segment, the update it runs, its body, and who may do it. */
export interface StaffAction {
  /** The Workflow Update's name (domain/messages.ts). */
  update: string;
  body: z.ZodType;
  roles: readonly StaffRole[];
  summary: string;
}
const everyone: readonly StaffRole[] = ['handler', 'manager', 'director'];
const deciders: readonly StaffRole[] = ['manager', 'director'];
const action = <A extends unknown[]>(update: UpdateDefinition<Dossier, A>, schema: z.ZodObject, roles: readonly StaffRole[], summary: string): StaffAction => ({
  update: update.name,
  body: schema.omit({ by: true }),
  roles,
  summary,
});

/** Every staff action of SPEC §4, by its kebab-case path. */
export const staffActions: Record<string, StaffAction> = {
  assign: action(assignUpdate, assignSchema, deciders, 'Assign a handler (not someone the complaint is about)'),
  'add-involved': action(addInvolvedUpdate, addInvolvedSchema, everyone, 'Add a person the complaint is about'),
  'log-contact': action(logContactUpdate, logContactSchema, everyone, 'Log a phone call, e-mail or meeting with the complainant'),
  'schedule-hearing': action(scheduleHearingUpdate, scheduleHearingSchema, everyone, 'Invite the complainant to a hearing'),
  'extend-term': action(extendTermUpdate, extendTermSchema, everyone, 'Move a term to a new date, with the reason; the complainant is told'),
  'send-position': action(sendPositionUpdate, sendPositionSchema, everyone, 'Send the written, reasoned position'),
  'record-cause': action(recordCauseUpdate, recordCauseSchema, everyone, 'Record the cause and the preventive measures'),
  'decide-appeal': action(decideAppealUpdate, decideAppealSchema, deciders, 'Decide an appeal at an internal level'),
  'record-external-referral': action(recordExternalReferralUpdate, recordExternalReferralSchema, everyone, 'Record the referral to an external body'),
  'record-external-outcome': action(recordExternalOutcomeUpdate, recordExternalOutcomeSchema, deciders, "Record an external body's outcome"),
  close: action(closeUpdate, closeSchema, everyone, 'Close the complaint with an outcome'),
  'add-note': action(addNoteUpdate, addNoteSchema, everyone, 'Add an internal note'),
};

/** The complainant's actions, reached with the link token. */
export const complainantActions: Record<string, { update: string; body: z.ZodType; summary: string }> = {
  satisfaction: { update: respondSatisfactionUpdate.name, body: respondSatisfactionSchema, summary: 'Answer "are you satisfied?"' },
  appeal: { update: fileAppealUpdate.name, body: fileAppealSchema, summary: 'Appeal to the next level of the procedure' },
  withdraw: { update: withdrawUpdate.name, body: withdrawSchema, summary: 'Withdraw the complaint' },
  information: { update: addInformationUpdate.name, body: addInformationSchema, summary: 'Add information to the complaint' },
};
