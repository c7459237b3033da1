// The complainant's pages (SPEC §6): the intake form per procedure, the confirmation, and the
// dossier with its forms. Server-rendered, usable without JavaScript, Dutch unless ?lang=en.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { Liquid } from 'liquidjs';
import { calendarCache } from '../../domain/calendar';
import { type IntakeRequest, intakeSchema, type Language } from '../../domain/complaint';
import { computeDeadlines } from '../../domain/deadlines';
import type { Dossier } from '../../domain/dossier';
import { dossierUrl, verifyLinkToken } from '../../domain/link-token';
import { dateInWords, instantInWords, localDateOf } from '../../domain/local-date';
import type { Procedure } from '../../domain/procedure';
import { referencePattern } from '../../domain/reference';
import type { AppDependencies } from '../app';
import { intakeErrors } from '../intake';
import { HttpProblem } from '../problem';
import { complainantActions } from '../schemas';
import { type Texts, textsFor } from './texts';

const templatesDir = join(__dirname, '..', '..', 'templates');

type Values = Record<string, string>;
type FieldErrors = Record<string, string>;

/** The form's field ids for the intake body's paths. */
const fieldOfPath = (path: string): string =>
  ({ 'complainant.name': 'name', 'complainant.email': 'email', 'complainant.phone': 'phone', 'complainant.type': 'type', 'complainant.address': 'street', 'complainant.address.street': 'street', 'complainant.address.postalCode': 'postalCode', 'complainant.address.city': 'city' })[path] ?? path;

/** A zod issue or an intake rule in the complainant's words; `given` tells whether the field was filled in. */
function messageFor(t: Texts, field: string, issue: { code?: string; format?: string; maximum?: unknown; rule?: string }, given: boolean): string {
  if (!given || issue.rule?.includes('needs this field') || issue.code === 'too_small') return t.errors.missing[field] ?? t.errors.invalid;
  if (issue.rule?.startsWith('one of')) return t.errors.choice;
  if (issue.rule === 'lies in the future') return t.errors.future;
  if (issue.code === 'invalid_format' && issue.format === 'email') return t.errors.email;
  if (issue.code === 'invalid_format' && issue.format === 'date') return t.errors.date;
  if (issue.code === 'too_big') return t.errors.tooLong(Number(issue.maximum));
  return t.errors.invalid;
}

const text = (values: Values, key: string): string | undefined => {
  const value = values[key]?.trim();
  return value ? value : undefined;
};

/** The intake body from the form's fields: empty fields are absent, not empty strings. */
function intakeFromForm(procedure: Procedure, values: Values, language: Language): Record<string, unknown> {
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

export function pageRoutes(deps: AppDependencies): Router {
  const router = Router();
  const liquid = new Liquid({ root: join(templatesDir, 'pages'), extname: '.liquid', cache: true, outputEscape: 'escape', strictVariables: false });
  const calendars = calendarCache();
  const https = deps.publicBaseUrl.startsWith('https:');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => deps.linkSecret,
    // Complainants have no session: the token binds the form to this browser's cookie.
    getSessionIdentifier: () => 'complainant',
    cookieName: https ? '__Host-klachtflow-csrf' : 'klachtflow-csrf',
    cookieOptions: { sameSite: 'strict', secure: https, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req: Request) => (req.body as Values | undefined)?._csrf,
  });

  const pico = require.resolve('@picocss/pico/css/pico.classless.min.css');
  router.use('/assets/pico.classless.min.css', (_req, res) => res.sendFile(pico));
  router.use('/assets', express.static(join(templatesDir, 'assets'), { fallthrough: false }));
  router.use(['/klacht', '/dossier'], cookieParser(), express.urlencoded({ extended: false, limit: '64kb' }));

  const languageOf = (req: Request, fallback: Language): Language => (req.query.lang === 'en' ? 'en' : req.query.lang === 'nl' ? 'nl' : fallback);
  const layout = (t: Texts, language: Language, procedure: Procedure | undefined, title: string) => ({
    lang: language,
    title,
    skip: t.skip,
    organisation: procedure?.organisation ?? 'klachtflow',
    contact: procedure?.contact.email ? `${t.contactUs}: ${procedure.contact.email}${procedure.contact.phone ? `, ${procedure.contact.phone}` : ''}` : undefined,
  });
  const render = async (res: Response, status: number, page: string, values: Record<string, unknown>) => {
    res.status(status).type('html').send(await liquid.renderFile(page, values));
  };
  const message = (res: Response, status: number, language: Language, procedure: Procedure | undefined, title: string, body: string) => {
    const t = textsFor(language);
    return render(res, status, 'message', { ...layout(t, language, procedure, title), text: body });
  };

  // --- intake -------------------------------------------------------------------------------

  const promisesOf = (procedure: Procedure, t: Texts): string[] => {
    const lines = [t.receiptAlways];
    for (const [name, term] of Object.entries(procedure.terms)) if (term) lines.push(t.terms[name]!(term));
    const appeal = t.appealRoute(procedure);
    if (appeal) lines.push(appeal);
    return lines;
  };

  const intakePage = async (req: Request, res: Response, procedure: Procedure, status: number, values: Values, errors: FieldErrors) => {
    const language = languageOf(req, procedure.language);
    const t = textsFor(language);
    const required = new Set<string>(procedure.intake.requiredFields);
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
      field('email', 'email', true, { autocomplete: 'email' }),
      field('phone', 'tel', required.has('phone'), { autocomplete: 'tel' }),
      ...(required.has('address')
        ? [
            field('street', 'text', true, { autocomplete: 'street-address' }),
            field('postalCode', 'text', true, { autocomplete: 'postal-code' }),
            field('city', 'text', true, { autocomplete: 'address-level2' }),
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
    // The first field in error takes the focus: a person who is upset finds what to fix at once.
    const firstError = fields.find((f) => f.error);
    if (firstError) Object.assign(firstError, { first: true });
    await render(res, status, 'intake', {
      ...layout(t, language, procedure, t.intakeTitle(procedure.organisation)),
      intro: t.intakeIntro,
      whatHappensTitle: t.whatHappensTitle,
      promises: promisesOf(procedure, t),
      required: t.required,
      errorsTitle: t.errorsTitle,
      errors: fields.filter((f) => f.error).map((f) => ({ field: f.id, label: f.label, message: f.error })),
      fields,
      procedure: procedure.id,
      send: t.send,
      csrf: generateCsrfToken(req, res),
      submission: values.submission ?? randomUUID(),
    });
  };

  const procedureOf = (req: Request, res: Response): Procedure | undefined => {
    const procedure = deps.procedures.get(String(req.params.procedure));
    if (!procedure) void message(res, 404, languageOf(req, 'nl'), undefined, textsFor(languageOf(req, 'nl')).notFoundTitle, '');
    return procedure;
  };

  router.get('/klacht/:procedure', async (req, res) => {
    const procedure = procedureOf(req, res);
    if (procedure) await intakePage(req, res, procedure, 200, {}, {});
  });

  router.post('/klacht/:procedure', deps.intakeLimit, doubleCsrfProtection, async (req, res) => {
    const procedure = procedureOf(req, res);
    if (!procedure) return;
    const language = languageOf(req, procedure.language);
    const t = textsFor(language);
    const values = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Values;
    const errors: FieldErrors = {};
    const receivedAt = new Date();
    const form = intakeFromForm(procedure, values, language) as IntakeRequest;
    const parsed = intakeSchema.safeParse(form);
    // The procedure's own fields first (what is missing), then the shape (what is wrong): every field at once.
    for (const error of intakeErrors(procedure, parsed.success ? parsed.data : form, localDateOf(receivedAt, procedure.timezone))) {
      const id = fieldOfPath(error.field);
      errors[id] ??= messageFor(t, id, error, Boolean(text(values, id)));
    }
    if (procedure.intake.requiredFields.includes('address')) {
      for (const part of ['street', 'postalCode', 'city']) if (!text(values, part)) errors[part] ??= messageFor(t, part, {}, false);
    }
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const id = fieldOfPath(issue.path.join('.'));
      errors[id] ??= messageFor(t, id, issue, Boolean(text(values, id)));
    }
    if (Object.keys(errors).length || !parsed.success) return intakePage(req, res, procedure, 400, values, errors);
    const intake: IntakeRequest = parsed.data;
    const { language: _language, ...rest } = intake;
    // The form's submission id is the Idempotency-Key: a second click or a reload files nothing twice.
    const submission = /^[\w-]{8,64}$/.test(values.submission ?? '') ? values.submission : undefined;
    const reference = await deps.complaints.start({ ...rest, language, receivedAt: receivedAt.toISOString(), channel: 'web' }, submission);
    const { deadlines } = computeDeadlines(procedure, calendars(procedure), { receivedAt });
    const link = dossierUrl(deps.publicBaseUrl, deps.linkSecret, reference, receivedAt);
    await render(res, 201, 'confirmation', {
      ...layout(t, language, procedure, t.confirmationTitle),
      yourReference: t.yourReference,
      reference,
      next: t.confirmationNext,
      termsWithDates: t.termsWithDates,
      by: t.by,
      terms: Object.entries(deadlines).map(([name, term]: [string, { date: string }]) => ({ name: t.termNames[name] ?? name, date: dateInWords(language, term.date) })),
      appealRoute: t.appealRoute(procedure),
      dossierUrl: `${new URL(link).pathname}${new URL(link).search}${language === 'en' ? '&lang=en' : ''}`,
      openDossier: t.openDossier,
    });
  });

  // --- dossier -------------------------------------------------------------------------------

  /** The reference of a valid link for this dossier, or undefined: the page then says only that the link does not work. */
  const linkOf = (req: Request, token: unknown): string | undefined => {
    const reference = String(req.params.reference);
    if (!referencePattern.test(reference) || typeof token !== 'string') return undefined;
    const claims = verifyLinkToken(deps.linkSecret, token, new Date());
    return claims?.purpose === 'dossier' && claims.reference === reference ? reference : undefined;
  };

  interface FormState {
    action?: string;
    error?: string;
    values?: Values;
    /** The workflow refused an appeal because its window closed. */
    closedWindow?: boolean;
  }

  const dossierPage = async (req: Request, res: Response, status: number, dossier: Dossier, token: string, state: FormState = {}) => {
    const procedure = deps.procedures.get(dossier.procedure);
    const language = languageOf(req, dossier.language);
    const t = textsFor(language);
    const tz = procedure?.timezone ?? 'Europe/Amsterdam';
    const termName = (name: string) => {
      const appeal = /^appeal(\d+)(File|Decide)$/.exec(name);
      return appeal ? t.appealTermName(appeal[1]!, appeal[2]!) : (t.termNames[name] ?? name);
    };
    const day = (instant: string) => dateInWords(language, localDateOf(new Date(instant), tz));
    const terms = Object.entries(dossier.terms).map(([name, term]) => ({
      name: termName(name),
      by: t.by,
      date: dateInWords(language, term!.extendedTo ?? term!.date),
      state: term!.breachedAt ? t.breached(day(term!.breachedAt)) : term!.metAt ? t.met(day(term!.metAt)) : term!.extendedTo ? t.extended(dateInWords(language, term!.extendedTo)) : t.running,
    }));
    const open = dossier.status !== 'closed';
    const appeals = dossier.appeals ?? [];
    const forms: Record<string, unknown>[] = [];
    const errorFor = (action: string) => (state.action === action ? state.error : undefined);
    const valueOf = (action: string, field: string) => (state.action === action ? (state.values?.[field] ?? '') : '');
    if (open && dossier.position && !dossier.satisfaction && appeals.length === 0) {
      const preset = state.values?.satisfied ?? (typeof req.query.satisfied === 'string' ? req.query.satisfied : undefined);
      forms.push({
        action: 'satisfaction',
        title: t.satisfactionTitle,
        intro: dossier.terms.satisfaction ? t.answerBy(dateInWords(language, dossier.terms.satisfaction.date)) : undefined,
        error: errorFor('satisfaction'),
        fields: [
          { id: 'satisfied', kind: 'radio', label: t.yourAnswer, options: [{ id: 'yes', label: t.satisfiedYes, checked: preset === 'yes' }, { id: 'no', label: t.satisfiedNo, checked: preset === 'no' }] },
          { id: 'comment', kind: 'textarea', label: t.comment, value: valueOf('satisfaction', 'comment') },
        ],
        submit: t.sendAnswer,
      });
    }
    const last = appeals.at(-1);
    const nextLevel = appeals.length + 1;
    const window = dossier.terms[`appeal${nextLevel}File`];
    const level = procedure?.appeals.find((l) => l.level === nextLevel);
    if (open && dossier.position && !dossier.satisfaction?.satisfied && window && level && (!last || last.decision || last.externalOutcome)) {
      // Closed by our clock, or by the workflow's refusal: either way the page says until when it was open.
      const closed = Date.now() > Date.parse(window.dueAt) || state.closedWindow === true;
      forms.push({
        action: 'appeal',
        title: t.appealTitle,
        intro: closed ? t.appealClosed(dateInWords(language, window.date)) : t.appealIntro(level.body.name, dateInWords(language, window.date)),
        closed,
        error: closed ? undefined : errorFor('appeal'),
        fields: [{ id: 'grounds', kind: 'textarea', label: t.grounds, value: valueOf('appeal', 'grounds') }],
        submit: t.sendAppeal,
      });
    }
    if (open) {
      forms.push({
        action: 'information',
        title: t.informationTitle,
        error: errorFor('information'),
        fields: [{ id: 'text', kind: 'textarea', label: t.information, value: valueOf('information', 'text') }],
        submit: t.sendInformation,
      });
      forms.push({
        action: 'withdraw',
        title: t.withdrawTitle,
        intro: t.withdrawIntro,
        error: errorFor('withdraw'),
        fields: [{ id: 'reason', kind: 'textarea', label: t.reason, value: valueOf('withdraw', 'reason') }],
        submit: t.sendWithdraw,
        secondary: true,
      });
    }
    const shownDetail = new Set(['information-added', 'satisfied', 'not-satisfied']);
    await render(res, status, 'dossier', {
      ...layout(t, language, procedure, t.dossierTitle(dossier.reference)),
      reference: dossier.reference,
      token,
      csrf: generateCsrfToken(req, res),
      statusLabel: t.status,
      status: `${t.statuses[dossier.status] ?? dossier.status}${dossier.outcome ? ` (${t.outcomes[dossier.outcome] ?? dossier.outcome})` : ''}`,
      done: typeof req.query.gedaan === 'string' ? t.done[req.query.gedaan] : undefined,
      refusal: state.action ? undefined : state.error,
      refusedTitle: t.refused,
      termsTitle: t.termsTitle,
      terms,
      position: dossier.position ? { paragraphs: dossier.position.text.split(/\n+/), solution: dossier.position.solution, agreements: dossier.position.agreements } : undefined,
      positionTitle: t.positionTitle,
      solutionLabel: t.solution,
      agreementsLabel: t.agreements,
      forms,
      timelineTitle: t.timelineTitle,
      timeline: dossier.timeline
        .filter((e) => t.events[e.event])
        .map((e) => ({ at: e.at, when: instantInWords(language, e.at, tz, 'long'), what: t.events[e.event], detail: shownDetail.has(e.event) ? e.detail : undefined })),
      correspondenceTitle: t.correspondenceTitle,
      correspondence: dossier.correspondence.filter((c) => !c.failed).map((c) => ({ at: c.at, when: instantInWords(language, c.at, tz, 'long'), subject: c.subject })),
    });
  };

  /** Temporal away or a complaint gone: a page that says so, never a stack trace. */
  const unavailable = async (req: Request, res: Response, err: unknown) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    if (err instanceof HttpProblem && err.problem.status === 404) return message(res, 404, language, undefined, t.notFoundTitle, '');
    if (err instanceof HttpProblem && err.problem.status === 503) return message(res, 503, language, undefined, t.unavailableTitle, t.unavailableText);
    throw err;
  };

  const invalidLink = (req: Request, res: Response) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    return message(res, 403, language, undefined, t.invalidLinkTitle, t.invalidLinkText);
  };

  router.get('/dossier/:reference', async (req, res) => {
    const token = req.query.token;
    const reference = linkOf(req, token);
    if (!reference || typeof token !== 'string') return invalidLink(req, res);
    try {
      await dossierPage(req, res, 200, await deps.complaints.dossier(reference, 'complainant'), token);
    } catch (err) {
      await unavailable(req, res, err);
    }
  });

  /** The action's body from its form, in the shape of its update. */
  const bodies: Record<string, (values: Values) => Record<string, unknown>> = {
    satisfaction: (v) => ({ satisfied: v.satisfied === 'yes' ? true : v.satisfied === 'no' ? false : undefined, comment: text(v, 'comment') }),
    appeal: (v) => ({ grounds: text(v, 'grounds') }),
    information: (v) => ({ text: text(v, 'text') }),
    withdraw: (v) => ({ reason: text(v, 'reason') }),
  };
  const formMessages = (t: Texts): Record<string, string> => ({
    satisfaction: t.errors.choice,
    appeal: t.errors.missing.description!,
    information: t.errors.missing.description!,
    withdraw: t.errors.invalid,
  });

  router.post('/dossier/:reference/:action', doubleCsrfProtection, async (req, res) => {
    const values = (req.body ?? {}) as Values;
    const reference = linkOf(req, values.token);
    const action = String(req.params.action);
    const definition = complainantActions[action];
    if (!reference) return invalidLink(req, res);
    if (!definition || !bodies[action]) return message(res, 404, languageOf(req, 'nl'), undefined, textsFor(languageOf(req, 'nl')).notFoundTitle, '');
    const body = Object.fromEntries(Object.entries(bodies[action](values)).filter(([, v]) => v !== undefined));
    const parsed = definition.body.safeParse(body);
    try {
      if (!parsed.success) {
        const dossier = await deps.complaints.dossier(reference, 'complainant');
        return await dossierPage(req, res, 400, dossier, values.token!, { action, error: formMessages(textsFor(languageOf(req, dossier.language)))[action], values });
      }
      await deps.complaints.update(reference, definition.update, parsed.data);
      const lang = req.query.lang === 'en' ? '&lang=en' : '';
      res.redirect(303, `/dossier/${reference}?token=${encodeURIComponent(values.token!)}&gedaan=${action}${lang}`);
    } catch (err) {
      // Refused in this state (the window closed, say): the page shows why, next to the form.
      if (err instanceof HttpProblem && err.problem.status === 409) {
        const dossier = await deps.complaints.dossier(reference, 'complainant');
        const language = languageOf(req, dossier.language);
        const closedOn = /appeal window closed on (\d{4}-\d{2}-\d{2})/.exec(err.problem.detail)?.[1];
        const error = closedOn ? textsFor(language).appealClosed(dateInWords(language, closedOn)) : err.problem.detail.replace(/^\w+ refused: /, '');
        return dossierPage(req, res, 409, dossier, values.token!, { action, error, values, closedWindow: closedOn !== undefined });
      }
      await unavailable(req, res, err);
    }
  });

  // A form that outlived its page (or came from elsewhere), or too many complaints from one
  // address: said in words, on a page.
  router.use(['/klacht', '/dossier'], (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const language = languageOf(req, 'nl');
    if (err instanceof HttpProblem && err.problem.status === 429) {
      const t = textsFor(language);
      return void message(res, 429, language, undefined, t.tooManyTitle, t.tooManyText);
    }
    if ((err as { code?: string }).code !== 'EBADCSRFTOKEN') return next(err);
    void message(res, 403, language, undefined, language === 'en' ? 'This form has expired' : 'Dit formulier is verlopen', language === 'en' ? 'Go back, reload the page and send the form again.' : 'Ga terug, laad de pagina opnieuw en verstuur het formulier nog eens.');
  });

  return router;
}
