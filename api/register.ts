// The complaint register (SPEC §4.1): visibility filtered by the search attributes, and the
// CSV export with the fields the seeds' registers name, read from each dossier.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { excelCsv } from '../domain/excel-csv';
import { z } from 'zod';
import { complaintWorkflowType } from '../domain/messages';
import { type RegisterEntry, registerEntryOf, type RegisterMemo, type TermRecord } from '../domain/register';
import { complaintOutcomes, complaintStatuses, intakeChannels } from '../domain/vocabulary';
import { localDateOf } from '../domain/local-date';
import { atLocalTime, endOfDay } from '../domain/zoned-time';
import type { ComplaintService } from './complaints';
import { problemOf, temporalDeadlineMs } from './complaints';
import { fieldProblem, HttpProblem } from './problem';
import type { RegisterQuery } from './schemas';

export interface RegisterRow {
  reference: string;
  procedure?: string;
  status?: string;
  category?: string;
  handler?: string;
  outcome?: string;
  receivedAt?: string;
  nextDeadline?: string;
  closedAt?: string;
  destroyOn?: string;
  overdue?: boolean;
  /** From the register memo (staff only: the register is behind staff sign-in). */
  complainant?: { name?: string; type?: string };
  subject?: string;
  channel?: string;
  /** The term the next deadline belongs to (from the memo, from 1.4). */
  nextTerm?: string;
}

/**
 * The visibility query for the filters; every value was validated by the register schema, so
 * quoting is safe. Received-between dates are whole days on the Dutch clock.
 */
/** The register's filters, and (for the work queue) only the complaints still open. */
export type RegisterFilter = RegisterQuery & {
  open?: boolean;
  /** Closed between these local dates (a report's list for the quality meeting). */
  closedFrom?: string;
  closedTo?: string;
  /** The next term falls on or before this local date (the back office's "due before"). */
  dueBefore?: string;
  /** The reference begins with this (upper case, as references are written). */
  referencePrefix?: string;
};

export function visibilityQuery(filter: Omit<RegisterFilter, 'pageSize' | 'pageToken'>, timezone = 'Europe/Amsterdam'): string {
  const clauses = [`WorkflowType = '${complaintWorkflowType}'`];
  if (filter.open) clauses.push(`ComplaintStatus != 'closed'`);
  if (filter.status) clauses.push(`ComplaintStatus = '${filter.status}'`);
  if (filter.procedure) clauses.push(`ComplaintProcedure = '${filter.procedure}'`);
  if (filter.handler) clauses.push(`ComplaintHandler = '${filter.handler}'`);
  if (filter.overdue) clauses.push(`ComplaintOverdue = ${filter.overdue}`);
  if (filter.receivedFrom) clauses.push(`ComplaintReceivedAt >= '${atLocalTime(filter.receivedFrom, '00:00', timezone)}'`);
  if (filter.receivedTo) clauses.push(`ComplaintReceivedAt <= '${endOfDay(filter.receivedTo, timezone)}'`);
  if (filter.closedFrom) clauses.push(`ComplaintClosedAt >= '${atLocalTime(filter.closedFrom, '00:00', timezone)}'`);
  if (filter.closedTo) clauses.push(`ComplaintClosedAt <= '${endOfDay(filter.closedTo, timezone)}'`);
  if (filter.dueBefore) clauses.push(`ComplaintNextDeadline <= '${endOfDay(filter.dueBefore, timezone)}'`);
  if (filter.referencePrefix) clauses.push(`WorkflowId STARTS_WITH 'complaint-${filter.referencePrefix}'`);
  return clauses.join(' AND ');
}

const attribute = (fields: Record<string, temporal.api.common.v1.IPayload> | null | undefined, name: string): unknown => {
  const payload = fields?.[name];
  if (!payload) return undefined;
  const value = defaultPayloadConverter.fromPayload<unknown>(payload);
  return Array.isArray(value) ? value[0] : value;
};

// The memo as the workflow writes it (domain/register.ts); read back through the codec and checked
// here, at the boundary. A complaint from before 1.1 that has not moved since has none.
const text = z.string();
const memoSchema = z.object({
  filed: z.object({
    complainant: z.object({ name: text.optional(), email: text, phone: text.optional(), type: text.optional(), address: z.object({ street: text, postalCode: text, city: text }).optional() }),
    subject: text,
    category: text.optional(),
    channel: z.enum(intakeChannels),
    registeredBy: text.optional(),
    incomplete: z.array(text).optional(),
    receivedAt: text,
  }),
  progress: z.object({
    status: z.enum(complaintStatuses),
    outcome: z.enum(complaintOutcomes).optional(),
    handler: text.optional(),
    involved: z.array(text),
    positionAt: text.optional(),
    solution: text.optional(),
    closedAt: text.optional(),
    destroyOn: text.optional(),
    destroyedEarly: z.object({ at: text, reason: text }).optional(),
    terms: z.record(text, z.object({ fate: z.enum(['met', 'breached', 'lapsed', 'running']), extended: z.enum(['in-time', 'late']).optional() })),
    appeals: z.array(z.object({ level: z.number(), outcome: text })),
  }),
  cause: z.object({ cause: text, measures: text }).optional(),
  mail: z.array(z.object({ at: text, to: z.enum(['complainant', 'staff', 'manager']), subject: text, status: z.enum(['sent', 'undelivered', 'to-post', 'posted', 'received']) })).default([]),
  next: z.object({ term: text, due: text }).nullable().optional(),
});

/** One complaint as visibility lists it: its search attributes, and its register memo where it has one. */
interface Listed {
  row: RegisterRow;
  memo?: RegisterMemo;
}

async function listedOf(client: Client, execution: temporal.api.workflow.v1.IWorkflowExecutionInfo): Promise<Listed> {
  const fields = execution.searchAttributes?.indexedFields;
  const textOf = (name: string) => {
    const value = attribute(fields, name);
    return typeof value === 'string' ? value : undefined;
  };
  const overdue = attribute(fields, 'ComplaintOverdue');
  let decoded: Record<string, unknown> | undefined;
  try {
    decoded = await decodeMapFromPayloads(client.options.loadedDataConverter, execution.memo?.fields);
  } catch (err) {
    // Our configuration, not the caller's request: a key of the ring is missing in this process.
    throw new HttpProblem(
      { title: 'Service unavailable', status: 503, detail: `the register cannot be read here: ${(err as Error).message}; give every process the whole key ring` },
      { 'Retry-After': '300' },
      { operator: true },
    );
  }
  const parsed = memoSchema.safeParse(decoded ?? {});
  const memo = parsed.success ? (parsed.data as RegisterMemo) : undefined;
  const row: RegisterRow = {
    reference: (execution.execution?.workflowId ?? '').replace(/^complaint-/, ''),
    procedure: textOf('ComplaintProcedure'),
    status: textOf('ComplaintStatus'),
    category: textOf('ComplaintCategory'),
    handler: textOf('ComplaintHandler'),
    outcome: textOf('ComplaintOutcome'),
    receivedAt: textOf('ComplaintReceivedAt'),
    nextDeadline: textOf('ComplaintNextDeadline'),
    closedAt: textOf('ComplaintClosedAt'),
    destroyOn: textOf('ComplaintDestroyOn'),
    ...(typeof overdue === 'boolean' ? { overdue } : {}),
    ...(memo ? { complainant: { name: memo.filed.complainant.name, type: memo.filed.complainant.type }, subject: memo.filed.subject, channel: memo.filed.channel } : {}),
    ...(memo?.next ? { nextTerm: memo.next.term } : {}),
  };
  return { row, ...(memo ? { memo } : {}) };
}

// Temporal's page tokens are opaque, and a forged one makes visibility fail in ways the client
// retries until its deadline: the register signs the tokens it gives out and takes no other.
const pageTokenMac = (secret: string, raw: Buffer): string => createHmac('sha256', secret).update('page:').update(raw).digest('base64url').slice(0, 22);
const signPageToken = (secret: string, raw: Uint8Array): string => {
  const bytes = Buffer.from(raw);
  return `${bytes.toString('base64url')}.${pageTokenMac(secret, bytes)}`;
};
const pageTokenFormat = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{22})$/;
function readPageToken(secret: string, token: string): Buffer {
  const [, body = '', mac = ''] = pageTokenFormat.exec(token) ?? [];
  const raw = Buffer.from(body, 'base64url');
  const expected = Buffer.from(raw.length ? pageTokenMac(secret, raw) : '');
  // Compared in constant time, and only in the canonical spelling this register gave out.
  if (raw.length === 0 || raw.toString('base64url') !== body || expected.length !== mac.length || !timingSafeEqual(expected, Buffer.from(mac))) {
    throw fieldProblem(400, [{ field: 'pageToken', rule: 'not a token this register gave out; start again without it' }]);
  }
  return raw;
}

/** One page of the register, newest first, as the list API answers it. */
export async function registerPage(client: Client, secret: string, query: RegisterFilter): Promise<{ complaints: RegisterRow[]; nextPageToken?: string }> {
  const { listed, nextPageToken } = await listedPage(client, secret, query);
  return { complaints: listed.map((l) => l.row), ...(nextPageToken ? { nextPageToken } : {}) };
}

async function listedPage(client: Client, secret: string, query: RegisterFilter): Promise<{ listed: Listed[]; nextPageToken?: string }> {
  const { pageSize, pageToken, ...filter } = query;
  const nextPageToken = pageToken ? readPageToken(secret, pageToken) : undefined;
  try {
    const response = await client.connection.withDeadline(Date.now() + temporalDeadlineMs, () =>
      client.workflowService.listWorkflowExecutions({
        namespace: client.options.namespace,
        query: visibilityQuery(filter),
        pageSize,
        ...(nextPageToken ? { nextPageToken } : {}),
      }),
    );
    const next = response.nextPageToken?.length ? signPageToken(secret, response.nextPageToken) : undefined;
    return { listed: await Promise.all((response.executions ?? []).map((execution) => listedOf(client, execution))), ...(next ? { nextPageToken: next } : {}) };
  } catch (err) {
    throw problemOf(err, 'register') ?? err;
  }
}

/** A local date of an instant on the complaint's own clock. */
type Day = (instant: string | undefined) => string | undefined;
type Cell = (r: RegisterRow, e: RegisterEntry | undefined, day: Day) => string | undefined;

const register: Record<string, Cell> = {
  kenmerk: (r) => r.reference,
  procedure: (r) => r.procedure,
  status: (r) => r.status,
  'status (NL)': (r) => (r.status === 'closed' ? 'afgehandeld' : 'in behandeling'),
  uitkomst: (r, e) => e?.progress.outcome ?? r.outcome,
  'datum ontvangen': (r, _e, day) => day(r.receivedAt),
  'geregistreerd door': (_r, e) => e?.filed.registeredBy,
  kanaal: (_r, e) => e?.filed.channel,
  'type klager': (_r, e) => e?.filed.complainant.type,
  naam: (_r, e) => e?.filed.complainant.name,
  adres: (_r, e) => e?.filed.complainant.address?.street,
  postcode: (_r, e) => e?.filed.complainant.address?.postalCode,
  woonplaats: (_r, e) => e?.filed.complainant.address?.city,
  'e-mail': (_r, e) => e?.filed.complainant.email,
  telefoon: (_r, e) => e?.filed.complainant.phone,
  categorie: (r) => r.category,
  omschrijving: (_r, e) => e?.filed.subject,
  betrokkenen: (_r, e) => e?.progress.involved.join(', '),
  behandelaar: (r) => r.handler,
  'datum standpunt': (_r, e, day) => day(e?.progress.positionAt),
  'wijze van afhandeling': (_r, e) => e?.progress.solution,
  oorzaak: (_r, e) => e?.cause?.cause,
  'preventieve maatregelen': (_r, e) => e?.cause?.measures,
  'termijnen overschreden': (_r, e) => termsWhere(e, (t) => t.fate === 'breached'),
  'termijnen verlengd': (_r, e) => termsWhere(e, (t) => t.extended !== undefined, (name, t) => `${name} (${t.extended === 'in-time' ? 'tijdig gemeld' : 'te laat gemeld'})`),
  beroep: (_r, e) => e?.progress.appeals.map((a) => `${a.level}: ${a.outcome}`).join(', '),
  correspondentie: (_r, e, day) => e?.mail.map((m) => `${day(m.at)} ${m.to}: ${m.subject} (${m.status})`).join(' | '),
  'datum afgehandeld': (r, _e, day) => day(r.closedAt),
  'vernietigen op': (r) => r.destroyOn,
};

function termsWhere(entry: RegisterEntry | undefined, keep: (t: TermRecord) => boolean, word = (name: string, _t: TermRecord) => name): string | undefined {
  if (!entry) return undefined;
  return (Object.entries(entry.progress.terms) as [string, TermRecord][]).filter(([, t]) => keep(t)).map(([name, t]) => word(name, t)).join(', ');
}

/** Rows in one CSV (Excel takes a million; this keeps an export's memory bounded); a report reads every complaint of its period. */
export const csvRowLimit = 10_000;
const reportRowLimit = 200_000;
const dossierReads = 8;

/**
 * The register as CSV for Excel, in the dialect of domain/excel-csv.ts (BOM, semicolons, CRLF,
 * formulas written as text).
 */
export async function registerCsv(
  client: Client,
  secret: string,
  complaints: Pick<ComplaintService, 'dossier'>,
  filter: RegisterFilter,
  timezoneOf: (procedure: string | undefined) => string,
): Promise<string> {
  const lines = await registerEntries(client, secret, complaints, filter, csvRowLimit);
  const columns = Object.keys(register);
  const records = lines.map(({ row, entry }) => {
    const zone = timezoneOf(row.procedure);
    const day: Day = (instant) => (instant ? localDateOf(new Date(instant), zone) : undefined);
    return Object.values(register).map((cell) => cell(row, entry, day) ?? '');
  });
  return excelCsv(records, { header: true, columns });
}

/**
 * Every line of the register that matches (up to `limit`), from visibility list calls: the memo
 * holds the register's fields. Only a complaint without a memo (from before 1.1, not moved since)
 * is read by its dossier query; one destroyed meanwhile keeps the visibility fields in its row;
 * one that cannot be read now (no worker answers) fails the whole export with 503.
 */
export async function registerEntries(
  client: Client,
  secret: string,
  complaints: Pick<ComplaintService, 'dossier'>,
  filter: RegisterFilter,
  limit = reportRowLimit,
): Promise<{ row: RegisterRow; entry?: RegisterEntry }[]> {
  const listed: Listed[] = [];
  let pageToken = filter.pageToken;
  do {
    const page = await listedPage(client, secret, { ...filter, pageSize: 1000, ...(pageToken ? { pageToken } : {}) });
    listed.push(...page.listed);
    pageToken = page.nextPageToken;
  } while (pageToken && listed.length < limit);
  listed.length = Math.min(listed.length, limit);
  const lines: { row: RegisterRow; entry?: RegisterEntry }[] = listed.map(({ row, memo }) => ({ row, ...(memo ? { entry: { reference: row.reference, procedure: row.procedure ?? '', ...memo } } : {}) }));
  const unlisted = lines.filter((line) => !line.entry);
  for (let i = 0; i < unlisted.length; i += dossierReads) {
    await Promise.all(
      unlisted.slice(i, i + dossierReads).map(async (line) => {
        try {
          line.entry = registerEntryOf(await complaints.dossier(line.row.reference, 'staff'));
        } catch (err) {
          if (!(err instanceof HttpProblem && err.problem.status === 404)) throw err;
        }
      }),
    );
  }
  return lines;
}
