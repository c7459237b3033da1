// The intake form's fields and their reading, shared by the complainant's form (/klacht/<id>) and
// the back office's form for a complaint received by phone, letter or in person: the procedure
// decides the fields, the same schema and rules check them, each error is said next to its field.
import { type IntakeRequest, intakeSchema, staffComplainantSchema } from '../../domain/complaint';
import type { z } from 'zod';
import type { Procedure } from '../../domain/procedure';
import { lineRule, textRule } from '../../domain/text-rules';
import type { Language } from '../../domain/vocabulary';
import { intakeErrors } from '../intake';
import type { Texts } from './texts';

export type Values = Record<string, string>;
export type FieldErrors = Record<string, string>;

/** A form's submission id (its hidden field), the Idempotency-Key of what it sends: a resent form lands once. */
export const submissionOf = (values: Readonly<Record<string, string | undefined>>): string | undefined =>
  /^[\w-]{8,64}$/.test(values.submission ?? '') ? values.submission : undefined;

/** A posted form's text fields (a field sent twice, or as anything but text, is left out). */
export const formValues = (body: unknown): Values =>
  Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Values;

/** Who fills the form in: the complainant, or staff for them (who may leave the e-mail address out and give a postal address for letters). */
export type FormAudience = 'complainant' | 'staff';
const staffIntakeBody = intakeSchema.extend({ complainant: staffComplainantSchema });
const bodySchemaFor = (audience: FormAudience) => (audience === 'staff' ? staffIntakeBody : intakeSchema);

/** The form's field ids for the intake body's paths. */
const fieldOfPath = (path: string): string =>
  ({ 'complainant.name': 'name', 'complainant.email': 'email', 'complainant.phone': 'phone', 'complainant.type': 'type', 'complainant.address': 'street', 'complainant.address.street': 'street', 'complainant.address.postalCode': 'postalCode', 'complainant.address.city': 'city' })[path] ?? path;

/** A zod issue or an intake rule in the complainant's words; `given` tells whether the field was filled in. */
function messageFor(t: Texts, field: string, issue: { code?: string; format?: string; maximum?: unknown; rule?: string }, given: boolean): string {
  if (!given || issue.rule?.includes('needs this field') || issue.code === 'too_small') return t.errors.missing[field] ?? t.errors.invalid;
  if (issue.rule?.startsWith('one of')) return t.errors.choice;
  if (issue.rule === 'lies in the future') return t.errors.future;
  if (field === 'email' || (issue.code === 'invalid_format' && issue.format === 'email')) return t.errors.email;
  if (issue.rule === lineRule) return t.errors.oneLine;
  if (issue.rule === textRule) return t.errors.controls;
  if (issue.code === 'invalid_format' && issue.format === 'date') return t.errors.date;
  if (issue.code === 'too_big') return t.errors.tooLong(Number(issue.maximum));
  return t.errors.invalid;
}

export const text = (values: Values, key: string): string | undefined => {
  const value = values[key]?.trim();
  return value ? value : undefined;
};

/** The intake body from the form's fields: empty fields are absent, not empty strings. */
export function intakeFromForm(procedure: Procedure, values: Values, language: Language): Record<string, unknown> {
  const street = text(values, 'street');
  const postalCode = text(values, 'postalCode');
  const city = text(values, 'city');
  const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return drop({
    procedure: procedure.id,
    complainant: drop({
      name: text(values, 'name'),
      email: text(values, 'email'),
      phone: text(values, 'phone'),
      address: street || postalCode || city ? drop({ street, postalCode, city }) : undefined,
      type: text(values, 'type'),
    }),
    category: text(values, 'category'),
    description: text(values, 'description'),
    whatHappened: text(values, 'whatHappened'),
    expected: text(values, 'expected'),
    occurredOn: text(values, 'occurredOn'),
    language,
  });
}

/** The procedure's intake fields, in order, with their values and errors. */
export function intakeFields(procedure: Procedure, t: Texts, values: Values, errors: FieldErrors, audience: FormAudience = 'complainant') {
  const required = new Set<string>(procedure.intake.requiredFields);
  // Staff always see the address: without an e-mail address, the complainant's mail goes there by post.
  const address = required.has('address') || audience === 'staff';
  const field = (id: string, kind: string, isRequired: boolean, extra: Record<string, unknown> = {}) => ({
    id,
    kind,
    label: t.fields[id],
    required: isRequired,
    value: values[id] ?? '',
    error: errors[id],
    ...extra,
  });
  const fields = [
    field('name', 'text', required.has('name'), { autocomplete: 'name' }),
    field('email', 'email', audience === 'complainant', { autocomplete: 'email' }),
    field('phone', 'tel', required.has('phone'), { autocomplete: 'tel' }),
    ...(address
      ? [
          field('street', 'text', required.has('address'), { autocomplete: 'street-address' }),
          field('postalCode', 'text', required.has('address'), { autocomplete: 'postal-code' }),
          field('city', 'text', required.has('address'), { autocomplete: 'address-level2' }),
        ]
      : []),
    ...(procedure.intake.complainantTypes.length ? [field('type', 'radio', required.has('complainantType'), { options: procedure.intake.complainantTypes })] : []),
    ...(procedure.intake.categories.length
      ? [field('category', 'select', required.has('category'), { options: procedure.intake.categories, placeholder: t.chooseCategory })]
      : []),
    field('description', 'textarea', true),
    ...(required.has('whatHappened') ? [field('whatHappened', 'textarea', true)] : []),
    ...(required.has('expected') ? [field('expected', 'textarea', true)] : []),
    ...(required.has('occurredOn') ? [field('occurredOn', 'date', true)] : []),
  ];
  return fields;
}

/**
 * The form's values read as an intake: the procedure's own fields first (what is missing), then the
 * shape (what is wrong), every field at once; the intake only where nothing is wrong.
 */
export function readIntakeForm(
  procedure: Procedure,
  values: Values,
  language: Language,
  t: Texts,
  today: string,
  audience: FormAudience = 'complainant',
): { intake?: IntakeRequest | z.infer<typeof staffIntakeBody>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const form = intakeFromForm(procedure, values, language) as IntakeRequest;
  const parsed = bodySchemaFor(audience).safeParse(form);
  for (const error of intakeErrors(procedure, parsed.success ? parsed.data : form, today)) {
    const id = fieldOfPath(error.field);
    errors[id] ??= messageFor(t, id, error, Boolean(text(values, id)));
  }
  // Part of an address is no address to post a letter to.
  if (procedure.intake.requiredFields.includes('address') || form.complainant.address) {
    for (const part of ['street', 'postalCode', 'city']) if (!text(values, part)) errors[part] ??= messageFor(t, part, {}, false);
  }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const id = fieldOfPath(issue.path.join('.'));
    errors[id] ??= messageFor(t, id, issue, Boolean(text(values, id)));
  }
  return Object.keys(errors).length || !parsed.success ? { errors } : { intake: parsed.data, errors };
}
