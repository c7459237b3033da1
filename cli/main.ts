import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { loadProcedureFile, loadProcedures } from '../config/procedures';

const usage = `klachtflow — complaint procedures as durable workflows

usage:
  klachtflow procedures list                 the procedures in KLACHTFLOW_PROCEDURES_DIR
  klachtflow procedures validate <file>...   check procedure files; names file, field and rule
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

export function main(argv: string[]): number {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help || positionals.length === 0) {
    process.stdout.write(usage);
    return 0;
  }
  const [group, ...rest] = positionals;
  if (group === 'procedures') return procedures(rest);
  throw new UsageError(`unknown command "${group}"; see klachtflow --help`);
}

/** The bin's entry: runs a command and sets the exit code (2 for a bad command line). */
export function run(argv: string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (err) {
    process.stderr.write(`klachtflow: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}
