import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { ProcedureRegistry } from '../config/procedures';
import { calendarCache } from '../domain/calendar';
import { type Anchors, computeDeadlines, type DeadlinesResult } from '../domain/deadlines';

/** An instant with an explicit offset or Z: a bare local time would be ambiguous. */
const instant = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .refine((v) => /(Z|[+-]\d{2}:?\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v)), {
      message: `${name}: not an ISO 8601 instant with an offset, such as 2026-04-24T10:15:00+02:00`,
    })
    .transform((v) => new Date(v));

export const deadlineRequestSchema = z.strictObject({
  procedure: z.string({ error: 'procedure is required' }).min(1, 'procedure is required'),
  receivedAt: instant('receivedAt'),
  positionSentAt: instant('positionSentAt').optional(),
  appealFiledAt: instant('appealFiledAt').optional(),
  closedAt: instant('closedAt').optional(),
});
export type DeadlineRequest = z.input<typeof deadlineRequestSchema>;

export class DeadlineInputError extends Error {}

/** Deadlines for many requests; calendars are made once per procedure. */
export class DeadlineCalculator {
  private readonly calendarOf = calendarCache();

  constructor(private readonly procedures: ProcedureRegistry) {}

  compute(request: unknown, explain = false): DeadlinesResult {
    const parsed = deadlineRequestSchema.safeParse(request);
    if (!parsed.success) {
      throw new DeadlineInputError(parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message)).join('; '));
    }
    const { procedure: id, ...anchors } = parsed.data;
    const procedure = this.procedures.get(id);
    if (!procedure) throw new DeadlineInputError(`unknown procedure "${id}"; known: ${[...this.procedures.keys()].join(', ')}`);
    return computeDeadlines(procedure, this.calendarOf(procedure), anchors satisfies Anchors, { explain });
  }
}

/** The single-mode layout of SPEC §3.4: the header line, then one term per line. */
export function formatDeadlines(result: DeadlinesResult): string {
  const { deadlines, ...header } = result;
  const head = JSON.stringify(header).slice(0, -1);
  const entries = Object.entries(deadlines).map(([name, value]) => `   ${JSON.stringify(name)}:${JSON.stringify(value)}`);
  return `${head},\n "deadlines":{${entries.length ? '\n' + entries.join(',\n') : ''}}}\n`;
}

/** Batch mode: one JSON request per line in, one result (or {"error"}) per line out, in order. */
export async function runBatch(calculator: DeadlineCalculator, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, explain: boolean): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let buffer = '';
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let out: string;
    try {
      out = JSON.stringify(calculator.compute(JSON.parse(line), explain));
    } catch (err) {
      const message = err instanceof SyntaxError ? `not JSON: ${err.message}` : (err as Error).message;
      out = JSON.stringify({ error: message });
    }
    buffer += out + '\n';
    if (buffer.length > 64 * 1024) {
      output.write(buffer);
      buffer = '';
    }
  }
  output.write(buffer);
}
