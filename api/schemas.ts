// The HTTP contracts: the zod schemas the routes validate with, and the OpenAPI document is
// built from (api/openapi.ts). The actions' bodies are the registry's (domain/actions).
import { z } from 'zod';
import { intakeSchema, procedureIdSchema, staffIntakeSchema } from '../domain/complaint';
import { monthPattern } from '../domain/destruction';
import { referencePattern } from '../domain/reference';
import { complaintStatuses } from '../domain/vocabulary';

export { intakeSchema, staffIntakeSchema };

export const referenceParam = z.string().regex(referencePattern, 'a reference looks like KL-2026-7QK2MD');

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), rule: z.string() })).optional(),
    code: z.string().optional().meta({ description: 'A refusal: its code (AppealWindowClosed, ComplaintClosed, …)' }),
    data: z.record(z.string(), z.unknown()).optional().meta({ description: 'A refusal: the facts behind it, such as the date a window closed' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details: what went wrong and what to fix' });

export const intakeResponseSchema = z
  .object({ reference: z.string(), dossierUrl: z.url() })
  .meta({ id: 'IntakeResponse', description: "The complaint's reference and the complainant's personal link to the dossier" });

const termSchema = z.object({
  kind: z.enum(['term', 'window']),
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
    correspondence: z.array(z.looseObject({ at: z.string(), to: z.string(), step: z.string(), status: z.enum(['queued', 'sent', 'undelivered', 'to-post', 'posted', 'received']), subject: z.string() })),
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

export const destructionQuerySchema = z.strictObject({ month: z.string().regex(monthPattern, 'a month such as 2026-11').optional() });

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
  nextTerm: z.string().optional().meta({ description: 'the term the next deadline belongs to (acknowledge, firstContact, resolve, …)' }),
  closedAt: z.string().optional(),
  destroyOn: z.string().optional(),
  overdue: z.boolean().optional(),
});
export const registerResponseSchema = z
  .object({ complaints: z.array(registerRowSchema), nextPageToken: z.string().optional() })
  .meta({ id: 'Register', description: 'One page of the complaint register, from Temporal visibility' });
