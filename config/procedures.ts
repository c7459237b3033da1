import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Procedure, procedureSchema } from '../domain/procedure';

export class ProcedureFileError extends Error {}

export type ProcedureRegistry = ReadonlyMap<string, Procedure>;

/** Parses and validates one procedure file; the error names the file, the field and the rule. */
export function loadProcedureFile(path: string): Procedure {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ProcedureFileError(`${path}: not readable YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = procedureSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ProcedureFileError(`${path}: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Loads every `*.yaml` / `*.yml` file of a directory; ids must be unique and match the file name. */
export function loadProcedures(dir: string): ProcedureRegistry {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    throw new ProcedureFileError(`${dir}: the procedures directory cannot be read (KLACHTFLOW_PROCEDURES_DIR)`);
  }
  if (files.length === 0) throw new ProcedureFileError(`${dir}: holds no procedure files (*.yaml)`);
  const registry = new Map<string, Procedure>();
  for (const file of files) {
    const path = join(dir, file);
    const procedure = loadProcedureFile(path);
    const expected = file.replace(/\.ya?ml$/, '');
    if (procedure.id !== expected) {
      throw new ProcedureFileError(`${path}: id: must equal the file name "${expected}", found "${procedure.id}"`);
    }
    registry.set(procedure.id, procedure);
  }
  return registry;
}


/** The organisation's clock, for what spans its procedures (the monthly statement): the first procedure's time zone. */
export function organisationTimezone(procedures: ProcedureRegistry): string {
  return procedures.values().next().value?.timezone ?? 'Europe/Amsterdam';
}
