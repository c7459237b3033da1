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
}

export const closeSchema = z.strictObject({
  outcome: z.enum(complaintOutcomes),
  text: z.string().trim().min(1).max(20_000).optional(),
});
export type CloseRequest = z.infer<typeof closeSchema>;
