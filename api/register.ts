// The complaint register (SPEC §4.1): visibility filtered by the search attributes, and the
// CSV export with the fields the seeds' registers name, read from each dossier.
import { createHmac } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { stringify } from 'csv-stringify/sync';
import { complaintWorkflowType } from '../domain/messages';
import type { Dossier } from '../domain/dossier';
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
}

/**
 * The visibility query for the filters; every value was validated by the register schema, so
 * quoting is safe. Received-between dates are whole days on the Dutch clock.
 */
export function visibilityQuery(filter: Omit<RegisterQuery, 'pageSize' | 'pageToken'>, timezone = 'Europe/Amsterdam'): string {
  const clauses = [`WorkflowType = '${complaintWorkflowType}'`];
  if (filter.status) clauses.push(`ComplaintStatus = '${filter.status}'`);
  if (filter.procedure) clauses.push(`ComplaintProcedure = '${filter.procedure}'`);
  if (filter.handler) clauses.push(`ComplaintHandler = '${filter.handler}'`);
  if (filter.overdue) clauses.push(`ComplaintOverdue = ${filter.overdue}`);
  if (filter.receivedFrom) clauses.push(`ComplaintReceivedAt >= '${atLocalTime(filter.receivedFrom, '00:00', timezone)}'`);
  if (filter.receivedTo) clauses.push(`ComplaintReceivedAt <= '${endOfDay(filter.receivedTo, timezone)}'`);
  return clauses.join(' AND ');
}

const attribute = (fields: Record<string, temporal.api.common.v1.IPayload> | null | undefined, name: string): unknown => {
  const payload = fields?.[name];
  if (!payload) return undefined;
  const value = defaultPayloadConverter.fromPayload<unknown>(payload);
  return Array.isArray(value) ? value[0] : value;
};

function rowOf(execution: temporal.api.workflow.v1.IWorkflowExecutionInfo): RegisterRow {
  const fields = execution.searchAttributes?.indexedFields;
  const text = (name: string) => {
    const value = attribute(fields, name);
    return typeof value === 'string' ? value : undefined;
  };
  const overdue = attribute(fields, 'ComplaintOverdue');
  return {
    reference: (execution.execution?.workflowId ?? '').replace(/^complaint-/, ''),
    procedure: text('ComplaintProcedure'),
    status: text('ComplaintStatus'),
    category: text('ComplaintCategory'),
    handler: text('ComplaintHandler'),
    outcome: text('ComplaintOutcome'),
    receivedAt: text('ComplaintReceivedAt'),
    nextDeadline: text('ComplaintNextDeadline'),
    closedAt: text('ComplaintClosedAt'),
    destroyOn: text('ComplaintDestroyOn'),
    ...(typeof overdue === 'boolean' ? { overdue } : {}),
  };
}

// Temporal's page tokens are opaque, and a forged one makes visibility fail in ways the client
// retries until its deadline: the register signs the tokens it gives out and takes no other.
const pageTokenMac = (secret: string, raw: Buffer): string => createHmac('sha256', secret).update('page:').update(raw).digest('base64url').slice(0, 22);
const signPageToken = (secret: string, raw: Uint8Array): string => {
  const bytes = Buffer.from(raw);
  return `${bytes.toString('base64url')}.${pageTokenMac(secret, bytes)}`;
};
function readPageToken(secret: string, token: string): Buffer {
  const [body = '', mac = ''] = token.split('.');
  const raw = Buffer.from(body, 'base64url');
  if (raw.length === 0 || mac !== pageTokenMac(secret, raw)) {
    throw fieldProblem(400, [{ field: 'pageToken', rule: 'not a token this register gave out; start again without it' }]);
  }
  return raw;
}

/** One page of the register, newest first. */
export async function registerPage(client: Client, secret: string, query: RegisterQuery): Promise<{ complaints: RegisterRow[]; nextPageToken?: string }> {
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
    return { complaints: (response.executions ?? []).map(rowOf), ...(next ? { nextPageToken: next } : {}) };
  } catch (err) {
    throw problemOf(err, 'register') ?? err;
  }
}

/** A local date of an instant on the complaint's own clock. */
type Day = (instant: string | undefined) => string | undefined;
type Cell = (r: RegisterRow, d: Dossier | undefined, day: Day) => string | undefined;

const register: Record<string, Cell> = {
  kenmerk: (r) => r.reference,
  procedure: (r) => r.procedure,
  status: (r) => r.status,
  'status (NL)': (r) => (r.status === 'closed' ? 'afgehandeld' : 'in behandeling'),
  uitkomst: (r, d) => d?.outcome ?? r.outcome,
  'datum ontvangen': (r, _d, day) => day(r.receivedAt),
  'geregistreerd door': (_r, d) => d?.complaint.registeredBy,
  kanaal: (_r, d) => d?.complaint.channel,
  'type klager': (_r, d) => d?.complaint.complainant.type,
  naam: (_r, d) => d?.complaint.complainant.name,
  adres: (_r, d) => d?.complaint.complainant.address?.street,
  postcode: (_r, d) => d?.complaint.complainant.address?.postalCode,
  woonplaats: (_r, d) => d?.complaint.complainant.address?.city,
  'e-mail': (_r, d) => d?.complaint.complainant.email,
  telefoon: (_r, d) => d?.complaint.complainant.phone,
  categorie: (r) => r.category,
  omschrijving: (_r, d) => d?.complaint.description,
  betrokkenen: (_r, d) => d?.involved.map((p) => (p.role ? `${p.name} (${p.role})` : p.name)).join(', '),
  behandelaar: (r) => r.handler,
  'datum standpunt': (_r, d, day) => day(d?.position?.at),
  'wijze van afhandeling': (_r, d) => d?.position?.solution,
  oorzaak: (_r, d) => d?.cause?.cause,
  'preventieve maatregelen': (_r, d) => d?.cause?.measures,
  'termijnen overschreden': (_r, d) =>
    d ? Object.entries(d.terms).filter(([, t]) => t?.breachedAt).map(([name]) => name).join(', ') : undefined,
  correspondentie: (_r, d, day) => d?.correspondence.map((c) => `${day(c.sentAt ?? c.at)} ${c.to}: ${c.subject} (${c.status})`).join(' | '),
  'datum afgehandeld': (r, _d, day) => day(r.closedAt),
  'vernietigen op': (r) => r.destroyOn,
};

const csvRowLimit = 10_000;
const dossierReads = 8;

/**
 * The register as CSV for Excel: UTF-8 with a byte-order mark (so é and ë survive), semicolons
 * (the Dutch list separator) and CRLF. Each row reads the dossier, eight at a time.
 */
export async function registerCsv(
  client: Client,
  secret: string,
  complaints: ComplaintService,
  filter: RegisterQuery,
  timezoneOf: (procedure: string | undefined) => string,
): Promise<string> {
  const { rows, dossiers } = await registerWithDossiers(client, secret, complaints, filter);
  const columns = Object.keys(register);
  const records = rows.map((row, i) => {
    const zone = timezoneOf(row.procedure);
    const day: Day = (instant) => (instant ? localDateOf(new Date(instant), zone) : undefined);
    return Object.values(register).map((cell) => cell(row, dossiers[i], day) ?? '');
  });
  return stringify(records, { header: true, columns, delimiter: ';', bom: true, record_delimiter: 'windows' });
}

/**
 * Every row of the register that matches (up to 10,000), with its dossier. A dossier destroyed
 * meanwhile (its history gone) leaves the visibility fields in its row; one that cannot be read
 * now (no worker answers) fails the whole export with 503: never a register with blanks.
 */
export async function registerWithDossiers(
  client: Client,
  secret: string,
  complaints: ComplaintService,
  filter: RegisterQuery,
): Promise<{ rows: RegisterRow[]; dossiers: (Dossier | undefined)[] }> {
  const rows: RegisterRow[] = [];
  let pageToken = filter.pageToken;
  do {
    const page = await registerPage(client, secret, { ...filter, pageSize: 500, ...(pageToken ? { pageToken } : {}) });
    rows.push(...page.complaints);
    pageToken = page.nextPageToken;
  } while (pageToken && rows.length < csvRowLimit);
  const dossiers: (Dossier | undefined)[] = [];
  for (let i = 0; i < rows.length; i += dossierReads) {
    const batch = rows.slice(i, i + dossierReads).map((row) =>
      complaints.dossier(row.reference, 'staff').catch((err: unknown) => {
        if (err instanceof HttpProblem && err.problem.status === 404) return undefined;
        throw err;
      }),
    );
    dossiers.push(...(await Promise.all(batch)));
  }
  return { rows, dossiers };
}
