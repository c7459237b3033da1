import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { loadProcedureFile, loadProcedures } from '../config/procedures';
import { codecKeys, rotateCodecKey } from '../config/secrets';
import { DeadlineCalculator, DeadlineInputError, formatDeadlines, runBatch } from './deadlines';

const usage = `klachtflow — complaint procedures as durable workflows

usage:
  klachtflow deadlines --procedure ID --received ISO [--position-sent ISO] [--appeal-filed ISO] [--closed ISO] [--explain]
  klachtflow deadlines --batch [--explain] < requests.jsonl > results.jsonl
  klachtflow procedures list                 the procedures in KLACHTFLOW_PROCEDURES_DIR
  klachtflow procedures validate <file>...   check procedure files; names file, field and rule
  klachtflow keys list                       the payload codec's key ids, oldest first (the last encrypts)
  klachtflow keys rotate                     add a key that encrypts from the next start; old keys keep decrypting
  klachtflow --help
`;

/** Exit code 2 and one line on stderr: what was wrong with the command line. */
export class UsageError extends Error {}

function procedures(args: string[]): number {
  const [command, ...files] = args;
  if (command === 'list') {
    const registry = loadProcedures(loadConfig().KLACHTFLOW_PROCEDURES_DIR);
    for (const procedure of registry.values()) process.stdout.write(`${procedure.id}\t${procedure.organisation}\t${procedure.language}\n`);
    return 0;
  }
  if (command === 'validate') {
    if (files.length === 0) throw new UsageError('procedures validate needs at least one file');
    let failed = 0;
    for (const file of files) {
      try {
        const procedure = loadProcedureFile(file);
        process.stdout.write(`${file}: ok (${procedure.id})\n`);
      } catch (err) {
        failed++;
        process.stderr.write(`${(err as Error).message}\n`);
      }
    }
    return failed ? 1 : 0;
  }
  throw new UsageError(`unknown procedures command "${command ?? ''}"; use list or validate`);
}

function keys(args: string[]): number {
  const [command] = args;
  const config = loadConfig();
  if (command === 'list') {
    const ring = codecKeys(config);
    ring.forEach((key, i) => process.stdout.write(`${key.id}\t${key.createdAt ?? ''}\t${i === ring.length - 1 ? 'encrypts' : 'decrypts'}\n`));
    return 0;
  }
  if (command === 'rotate') {
    const { key, stored } = rotateCodecKey(config);
    if (stored) {
      process.stdout.write(`key ${key.id} added to ${stored}; restart the worker and the API (all of them) to encrypt with it\n`);
    } else {
      // The ring is configured: the operator appends the entry where KLACHTFLOW_CODEC_KEYS is kept.
      process.stdout.write(`append to KLACHTFLOW_CODEC_KEYS (after the keys it holds), then restart every worker and API:\n${key.id}:${key.key}\n`);
    }
    return 0;
  }
  throw new UsageError(`unknown keys command "${command ?? ''}"; use list or rotate`);
}

const deadlineOptions = {
  procedure: { type: 'string' },
  received: { type: 'string' },
  'position-sent': { type: 'string' },
  'appeal-filed': { type: 'string' },
  closed: { type: 'string' },
  explain: { type: 'boolean' },
  batch: { type: 'boolean' },
} as const;

async function deadlines(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: deadlineOptions, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const calculator = new DeadlineCalculator(loadProcedures(loadConfig().KLACHTFLOW_PROCEDURES_DIR));
  if (values.batch) {
    await runBatch(calculator, process.stdin, process.stdout, values.explain ?? false);
    return 0;
  }
  if (!values.received) throw new UsageError('--received is required (the receipt instant, e.g. 2026-04-24T10:15:00+02:00)');
  if (!values.procedure) throw new UsageError('--procedure is required');
  try {
    const result = calculator.compute(
      {
        procedure: values.procedure,
        receivedAt: values.received,
        positionSentAt: values['position-sent'],
        appealFiledAt: values['appeal-filed'],
        closedAt: values.closed,
      },
      values.explain ?? false,
    );
    process.stdout.write(formatDeadlines(result));
    return 0;
  } catch (err) {
    if (err instanceof DeadlineInputError) throw new UsageError(err.message);
    throw err;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  if (group === 'procedures') return procedures(rest);
  if (group === 'deadlines') return deadlines(rest);
  if (group === 'keys') return keys(rest);

  throw new UsageError(`unknown command "${group}"; see klachtflow --help`);
}

/** The bin's entry: runs a command and sets the exit code (2 for a bad command line). */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`klachtflow: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    },
  );
}
