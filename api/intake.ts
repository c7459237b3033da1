// What a procedure asks of a complaint beyond the shape of the body: its required fields,
// its categories and complainant types (SPEC §2 intake). One check for web and staff intake.
import type { IntakeRequest, StaffIntakeRequest } from '../domain/complaint';
import type { Procedure } from '../domain/procedure';
import { type FieldError, fieldProblem } from './problem';


type Intake = Omit<IntakeRequest, 'complainant'> & Pick<StaffIntakeRequest, 'complainant'>;

const present: Record<Procedure['intake']['requiredFields'][number], { field: string; has: (i: Intake) => boolean }> = {
  name: { field: 'complainant.name', has: (i) => Boolean(i.complainant.name) },
  email: { field: 'complainant.email', has: (i) => Boolean(i.complainant.email) },
  phone: { field: 'complainant.phone', has: (i) => Boolean(i.complainant.phone) },
  address: { field: 'complainant.address', has: (i) => Boolean(i.complainant.address) },
  description: { field: 'description', has: (i) => Boolean(i.description) },
  category: { field: 'category', has: (i) => Boolean(i.category) },
  complainantType: { field: 'complainant.type', has: (i) => Boolean(i.complainant.type) },
  whatHappened: { field: 'whatHappened', has: (i) => Boolean(i.whatHappened) },
  expected: { field: 'expected', has: (i) => Boolean(i.expected) },
  occurredOn: { field: 'occurredOn', has: (i) => Boolean(i.occurredOn) },
};

/**
 * Every way the intake falls short of the procedure, each naming its field. Staff may register a
 * complainant without an e-mail address (their e-mails become letters), given a postal address.
 */
export function intakeErrors(procedure: Procedure, intake: Intake, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!intake.complainant.email && !intake.complainant.address) {
    errors.push({ field: 'complainant.email', rule: 'give an e-mail address, or a postal address to send letters to' });
  }
  for (const required of procedure.intake.requiredFields) {
    const { field, has } = present[required];
    if (required === 'email' && !has(intake)) continue;
    if (!has(intake)) errors.push({ field, rule: `${procedure.organisation} needs this field` });
  }
  const { categories, complainantTypes } = procedure.intake;
  if (intake.category && categories.length && !categories.some((c) => c.id === intake.category)) {
    errors.push({ field: 'category', rule: `one of ${categories.map((c) => c.id).join(', ')}` });
  }
  if (intake.category && !categories.length) errors.push({ field: 'category', rule: `${procedure.organisation} uses no categories: leave it out` });
  const type = intake.complainant.type;
  if (type && complainantTypes.length && !complainantTypes.some((t) => t.id === type)) {
    errors.push({ field: 'complainant.type', rule: `one of ${complainantTypes.map((t) => t.id).join(', ')}` });
  }
  if (type && !complainantTypes.length) errors.push({ field: 'complainant.type', rule: `${procedure.organisation} uses no complainant types: leave it out` });
  if (intake.occurredOn && intake.occurredOn > today) errors.push({ field: 'occurredOn', rule: 'lies in the future' });
  return errors;
}

export function procedureOrProblem(procedures: ReadonlyMap<string, Procedure>, id: string): Procedure {
  const procedure = procedures.get(id);
  if (procedure) return procedure;
  throw fieldProblem(400, [{ field: 'procedure', rule: 'must name a loaded procedure' }], `procedure: unknown procedure "${id}"; known: ${[...procedures.keys()].join(', ')}`);
}

