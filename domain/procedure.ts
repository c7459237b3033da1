import { z } from 'zod';
import { procedureIdSchema } from './complaint';
import { contactChannels, languages } from './vocabulary';

// A complaint procedure as an organisation publishes it (SPEC §2): the data every complaint
// of that organisation runs on. Names here are the ones the CLI output and the API use.

export const termUnits = ['workingDays', 'days', 'weeks', 'months', 'years'] as const;
export type TermUnit = (typeof termUnits)[number];

/** The terms of SPEC §2 that run from receipt or from the position; appeal terms live on their level. */
export const termNames = ['acknowledge', 'firstContact', 'resolve', 'maxLeadTime', 'satisfaction'] as const;
export type TermName = (typeof termNames)[number];

/** A service norm beside a binding term: "we aim for 5 working days" where the promise is two weeks. */
export const targetLengthSchema = z.strictObject({
  within: z.number().int().positive('must be a whole number of at least 1'),
  unit: z.enum(termUnits),
});

export const termSchema = z.strictObject({
  within: z.number().int().positive('must be a whole number of at least 1'),
  unit: z.enum(termUnits),
  /**
   * `true`: the whole term is an aim ("wij streven ernaar"), not a promise: missing it is a missed
   * target, reported and never escalated. A length: an aim beside this binding term.
   */
  target: z.union([z.boolean(), targetLengthSchema]).default(false),
  /** The complainant must be told of a delay at least this many working days before the term ends. */
  noticeWorkingDaysBefore: z.number().int().positive().optional(),
});
export type Term = z.infer<typeof termSchema>;

/** Retention runs in calendar units and never on to a working day (SPEC §3). */
const retentionPeriodSchema = z.strictObject({
  within: z.number().int().positive('must be a whole number of at least 1'),
  unit: z.enum(['days', 'weeks', 'months', 'years'], 'retention runs in days, weeks, months or years'),
});


const labelled = z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/, 'an id is lower-case letters, digits and dashes'), label: z.string().min(1) });

export const intakeFields = [
  'name', 'email', 'phone', 'address', 'description', 'category', 'complainantType', 'whatHappened', 'expected', 'occurredOn',
] as const;

export const appealBodyKinds = ['internal', 'mediator', 'disputes-committee', 'odr'] as const;

export const appealLevelSchema = z
  .strictObject({
    level: z.number().int().positive(),
    body: z.strictObject({
      kind: z.enum(appealBodyKinds),
      name: z.string().min(1),
      contact: z.string().min(1).optional(),
      url: z.url().optional(),
      /** An internal level's decision maker: where staff e-mail about an appeal to it goes (else to the managers). */
      email: z.email().optional(),
      binding: z.boolean().default(false),
    }),
    /** Level 1: from the position sent; level n: from the decision of level n-1. */
    fileWithin: termSchema.optional(),
    /** Internal levels only: from the appeal filed. */
    decideWithin: termSchema.optional(),
    hearing: z.enum(['none', 'offered', 'required']).default('none'),
  })
  .refine((level) => level.body.kind === 'internal' || level.decideWithin === undefined, {
    message: 'decideWithin belongs to internal levels only; an external body sets its own term',
    path: ['decideWithin'],
  });
export type AppealLevel = z.infer<typeof appealLevelSchema>;

const timezoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Amsterdam' },
);

export const procedureSchema = z.strictObject({
  id: procedureIdSchema,
  organisation: z.string().trim().min(1),
  /** Where complainants reach the organisation; stated in e-mails and pages. */
  contact: z
    .strictObject({ email: z.email().optional(), phone: z.string().min(1).optional(), url: z.url().optional() })
    .default({}),
  /** The top of a letter to a complainant without an e-mail address: the postal address lines under the organisation's name (the contact follows). */
  letterhead: z.strictObject({ address: z.array(z.string().trim().min(1).max(200)).max(6).default([]) }).default({ address: [] }),
  /**
   * The organisation's mailbox for complaints (issue 16): the addresses complaints arrive at, and
   * which messages there are complaints (every one, or those whose subject holds a word such as
   * "klacht"); e-mails to complainants answer to the first address.
   */
  mailbox: z
    .strictObject({
      addresses: z.array(z.email().transform((a) => a.toLowerCase())).min(1),
      subjectContains: z.string().trim().min(1).max(60).optional(),
      /** Where complainants' answers go (Reply-To); the first address where absent. */
      replyTo: z.email().optional(),
      /** The address e-mails to complainants are sent from, where the mail relay may send as the organisation; MAIL_FROM's where absent. */
      from: z.email().optional(),
    })
    .optional(),
  /** Closes every e-mail to a complainant: a name, a department, a phone number (at most 6 lines). */
  signature: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine((s) => s.split('\n').length <= 6, 'at most 6 lines')
    .optional(),
  /** Where staff e-mail about an unassigned complaint goes; without it, to every handler in the staff file. */
  staffMailbox: z.email().optional(),
  language: z.enum(languages).default('nl'),
  timezone: timezoneSchema.default('Europe/Amsterdam'),
  calendar: z
    .strictObject({
      country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as NL').default('NL'),
      holidayTypes: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).min(1).default(['public']),
      closedDays: z.array(z.iso.date()).default([]),
    })
    .default({ country: 'NL', holidayTypes: ['public'], closedDays: [] }),
  intake: z
    .strictObject({
      requiredFields: z.array(z.enum(intakeFields)).default(['email', 'description']),
      categories: z.array(labelled).default([]),
      complainantTypes: z.array(labelled).default([]),
    })
    .default({ requiredFields: ['email', 'description'], categories: [], complainantTypes: [] })
    .transform((intake) => ({
      ...intake,
      // `email` and `description` are always required (SPEC §6).
      requiredFields: [...new Set(['email', 'description', ...intake.requiredFields] as const)],
    })),
  terms: z
    .strictObject({
      acknowledge: termSchema.optional(),
      firstContact: termSchema.extend({ by: z.array(z.enum(contactChannels)).min(1).optional() }).optional(),
      resolve: termSchema.optional(),
      maxLeadTime: termSchema.optional(),
      satisfaction: termSchema.optional(),
    })
    .default({}),
  /**
   * Suspension (opschorting): staff ask the complainant for information; until the answer comes,
   * or its date passes, these terms stand still and then run on with the working days they had left.
   */
  suspension: z
    .strictObject({
      answerWithin: targetLengthSchema.default({ within: 5, unit: 'workingDays' }),
      terms: z.array(z.enum(['acknowledge', 'firstContact', 'resolve', 'maxLeadTime'])).min(1, 'name the terms that stand still'),
    })
    .optional(),
  /**
   * Reopening: a "not satisfied", or a request within `afterClosure` of the closure, may ask to
   * reopen the complaint; staff accept (the handling terms start again) or refuse with a reason.
   */
  reopening: z.strictObject({ afterClosure: targetLengthSchema.default({ within: 10, unit: 'workingDays' }) }).optional(),
  /** What a delay notice must state (SPEC §4 extendTerm). */
  delayNotice: z
    .strictObject({ mustState: z.array(z.enum(['reason', 'newDate', 'expectedDuration'])).default(['reason', 'newDate']) })
    .default({ mustState: ['reason', 'newDate'] }),
  appeals: z
    .array(appealLevelSchema)
    .default([])
    .refine((levels) => levels.every((l, i) => l.level === i + 1), { message: 'levels must be numbered 1, 2, … in order' }),
  retention: z
    .strictObject({
      keepAfterClosure: retentionPeriodSchema.default({ within: 1, unit: 'years' }),
      maxAfterReceipt: retentionPeriodSchema.optional(),
    })
    .default({ keepAfterClosure: { within: 1, unit: 'years' } }),
  rules: z
    .strictObject({
      requireRootCause: z.boolean().default(false),
      satisfactionRequiredToClose: z.boolean().default(false),
      notifyManagerOnReceipt: z.boolean().default(false),
      analysis: z.enum(['quarterly', 'annual']).default('quarterly'),
      /** The complainant's dossier page names the people involved: the handler, and who the complaint is about (name and role). */
      showInvolvedPeople: z.boolean().default(false),
      /** The cause record also says how and when the measures are made known inside the organisation (StudiJob). */
      causeCommunication: z.boolean().default(false),
      /** Agreements made in a contact go to the complainant in writing: always (Babbage), when they wish (Klassewerk), or when staff choose. */
      agreementsInWriting: z.enum(['always', 'on-request', 'never']).default('never'),
    })
    .default({ requireRootCause: false, satisfactionRequiredToClose: false, notifyManagerOnReceipt: false, analysis: 'quarterly', showInvolvedPeople: false, causeCommunication: false, agreementsInWriting: 'never' }),
}).transform((procedure) => {
  // A first contact by phone only (Klassewerk) needs a number to call: the form asks for it, an e-mail's receipt too.
  const byPhoneOnly = procedure.terms.firstContact?.by?.every((channel) => channel === 'phone') ?? false;
  if (!byPhoneOnly || procedure.intake.requiredFields.includes('phone')) return procedure;
  return { ...procedure, intake: { ...procedure.intake, requiredFields: [...procedure.intake.requiredFields, 'phone' as const] } };
});
export type Procedure = z.infer<typeof procedureSchema>;
export type ProcedureFile = z.input<typeof procedureSchema>;

/** The satisfaction term where a procedure sets none (SPEC §2.1: a deployment default). */
export const defaultSatisfactionTerm: Term = { within: 10, unit: 'workingDays', target: false };

/** After the one reminder to an unanswered "satisfied?", the complainant has this many working days more. */
export const satisfactionReminderGrace = { within: 5, unit: 'workingDays' } as const;
