// The complainant's pages (SPEC §6): the intake form per procedure, the confirmation, and the
// dossier with its forms. Server-rendered, usable without JavaScript, Dutch unless ?lang=en.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { Liquid } from 'liquidjs';
import type { z } from 'zod';
import { type ActionName, actionNames, bodySchema, pathOf, refusalFor } from '../../domain/actions';
import { calendarCache } from '../../domain/calendar';
import { computeDeadlines } from '../../domain/deadlines';
import { attachmentsOf, type Dossier, type DossierTerm, type TermName } from '../../domain/dossier';
import { nextAppealLevel, openSuspension } from '../../domain/lifecycle';
import { dossierUrl, type LinkClaims, verifyLinkToken } from '../../domain/link-token';
import { dateInWords, instantInWords, localDateOf } from '../../domain/local-date';
import type { Procedure } from '../../domain/procedure';
import { referencePattern } from '../../domain/reference';
import { taskQueue } from '../../domain/messages';
import { complainantEnvelope } from '../../workflows/mail-inputs';
import type { dossierLinkWorkflow } from '../../workflows/dossier-link';
import { rateLimit } from 'express-rate-limit';
import { type Refusal, refusalText, wording } from '../../domain/refusals';
import type { Language } from '../../domain/vocabulary';
import { fileSize } from '../../domain/words';
import type { AppDependencies } from '../app';
import { complainantActor, revoked } from '../auth';
import { sendAttachment } from '../attachments';
import { HttpProblem } from '../problem';
import { logOperatorProblem } from '../temporal-errors';
import { problemRefusal } from '../refusals';
import { type FieldErrors, formValues, intakeFields, readIntakeForm, submissionOf, text, type Values } from './intake-form';
import { type Texts, textsFor } from './texts';

const templatesDir = join(__dirname, '..', '..', 'templates');


/**
 * Sends the complaint's current link to its complainant when `email` is theirs (and the complaint
 * still exists); answers whether it did, for the log only.
 */
async function sendRequestedLink(deps: AppDependencies, reference: string, email: string): Promise<boolean> {
  let dossier: Dossier;
  try {
    dossier = await deps.complaints.dossier(reference, 'staff');
  } catch (err) {
    if (err instanceof HttpProblem && err.problem.status === 404) return false;
    throw err;
  }
  const theirs = dossier.complaint.complainant.email;
  if (!theirs || theirs.trim().toLowerCase() !== email.toLowerCase()) return false;
  const step = `link-request-${randomUUID().slice(0, 8)}`;
  await deps.client.connection.withDeadline(Date.now() + 5000, () =>
    deps.client.workflow.start<typeof dossierLinkWorkflow>('dossierLinkWorkflow', { taskQueue, workflowId: `dossier-link-${reference}-${step}`, args: [complainantEnvelope(dossier, step)] }),
  );
  return true;
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
  const message = (res: Response, status: number, language: Language, procedure: Procedure | undefined, title: string, body: string, link?: { href: string; label: string }) => {
    const t = textsFor(language);
    return render(res, status, 'message', { ...layout(t, language, procedure, title), text: body, link });
  };

  // --- the front door: the complaint forms, and the way to the back office ---------------------

  router.get('/', async (req, res) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    const forms = [...deps.procedures.values()].map((p) => ({ href: `/klacht/${p.id}${language === 'en' ? '?lang=en' : ''}`, label: t.homeForm(p.organisation) }));
    await render(res, 200, 'home', { ...layout(t, language, undefined, t.homeTitle), t, forms, other: language === 'en' ? { href: '/?lang=nl', label: 'Nederlands', lang: 'nl' } : { href: '/?lang=en', label: 'English', lang: 'en' } });
  });

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
    const fields = intakeFields(procedure, t, values, errors);
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
    const values = formValues(req.body);
    const receivedAt = new Date();
    const { intake, errors } = readIntakeForm(procedure, values, language, t, localDateOf(receivedAt, procedure.timezone));
    if (!intake) return intakePage(req, res, procedure, 400, values, errors);
    const { language: _language, ...rest } = intake;
    // The form's submission id is the Idempotency-Key: a second click or a reload files nothing twice.
    const submission = submissionOf(values);
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

  /** A valid link for this dossier (its token and what it says), or undefined: the page then says only that the link does not work. */
  interface Link {
    token: string;
    claims: LinkClaims;
  }
  const linkOf = (req: Request, token: unknown): Link | undefined => {
    const reference = String(req.params.reference);
    if (!referencePattern.test(reference) || typeof token !== 'string') return undefined;
    const claims = verifyLinkToken(deps.linkSecret, token, new Date());
    return claims?.reference === reference ? { token, claims } : undefined;
  };

  interface FormState {
    action?: string;
    /** What to say next to the form: the body was incomplete, or the engine refused it. */
    error?: string;
    refusal?: Refusal;
    values?: Values;
  }

  const dossierPage = async (req: Request, res: Response, status: number, dossier: Dossier, { token, claims }: Link, state: FormState = {}) => {
    /** Why the complainant cannot take an action now, with this link, by the same guard the workflow uses. */
    const refusalNow = (name: ActionName, dossier: Dossier, input: Record<string, unknown>) => refusalFor(name, dossier, { actor: complainantActor(claims), input }, Date.now());
    const language = languageOf(req, dossier.language);
    const t = textsFor(language);
    const words = wording(language, dossier.timezone, dossier.route);
    const refused = (refusal: Refusal) => refusalText(refusal, words, language);
    const day = (instant: string) => dateInWords(language, localDateOf(new Date(instant), dossier.timezone));
    const open = openSuspension(dossier);
    const termState = (name: TermName, term: DossierTerm) =>
      term.breachedAt
        ? t.breached(day(term.breachedAt))
        : term.metAt
          ? t.met(day(term.metAt))
          : term.lapsedAt
            ? t.lapsed(day(term.lapsedAt))
            : term.targetMissedAt && term.target
              ? t.aimMissed
              : open?.terms.includes(name)
                ? t.standsStill(day(open.at))
              : term.extendedTo
                ? t.extended(dateInWords(language, term.extendedTo))
                : t.running;
    // An aim is worded as one ("wij streven naar"), never as a promise; an aim beside a term is said with it.
    const terms = (Object.entries(dossier.terms) as [TermName, DossierTerm][]).map(([name, term]) => ({
      name: t.termName(name, dossier.route),
      by: term.target ? t.aimBy : t.by,
      date: `${dateInWords(language, term.extendedTo ?? term.date)}${term.aim ? ` (${t.aimBy} ${dateInWords(language, term.aim.date)})` : ''}`,
      state: termState(name, term),
    }));
    const forms: Record<string, unknown>[] = [];
    const errorFor = (action: string) => (state.action === action ? (state.error ?? (state.refusal ? refused(state.refusal) : undefined)) : undefined);
    const valueOf = (action: string, field: string) => (state.action === action ? (state.values?.[field] ?? '') : '');
    const submission = randomUUID();

    // "Satisfied?": both answers, or (after "not satisfied") the change to "satisfied" alone.
    const yes = !refusalNow('respondSatisfaction', dossier, { satisfied: true });
    const no = !refusalNow('respondSatisfaction', dossier, { satisfied: false });
    if (yes || no) {
      const preset = state.values?.satisfied ?? (typeof req.query.satisfied === 'string' ? req.query.satisfied : undefined);
      const satisfaction = dossier.terms.satisfaction;
      forms.push({
        action: pathOf('respondSatisfaction'),
        title: t.satisfactionTitle,
        intro: no ? (satisfaction ? t.answerBy(dateInWords(language, satisfaction.date)) : undefined) : t.changeToSatisfied,
        error: errorFor(pathOf('respondSatisfaction')),
        fields: [
          {
            id: 'satisfied',
            kind: 'radio',
            label: t.yourAnswer,
            options: [...(yes ? [{ id: 'yes', label: t.satisfiedYes, checked: preset === 'yes' || !no }] : []), ...(no ? [{ id: 'no', label: t.satisfiedNo, checked: preset === 'no' }] : [])],
          },
          { id: 'comment', kind: 'textarea', label: t.comment, value: valueOf(pathOf('respondSatisfaction'), 'comment') },
        ],
        submit: t.sendAnswer,
      });
    }
    // Appeal: open, or closed (by the clock here, or as the engine answered) with the day it closed.
    const next = nextAppealLevel(dossier);
    const appealRefusal = refusalNow('fileAppeal', dossier, { grounds: '-' });
    const closed = [appealRefusal, state.refusal].find((r) => r?.code === 'AppealWindowClosed');
    if (next?.window && (!appealRefusal || closed)) {
      const action = pathOf('fileAppeal');
      forms.push({
        action,
        title: t.appealTitle,
        intro: closed ? refused(closed) : t.appealIntro(next.level.body.name, dateInWords(language, next.window.date)),
        closed: closed !== undefined,
        error: closed ? undefined : errorFor(action),
        fields: [{ id: 'grounds', kind: 'textarea', label: t.grounds, value: valueOf(action, 'grounds') }],
        submit: t.sendAppeal,
      });
    }
    // A complaint that came by e-mail without details the procedure needs: asked for first.
    const incomplete = dossier.complaint.incomplete ?? [];
    if (incomplete.length && !refusalNow('completeDetails', dossier, { name: '-', phone: '-', address: { street: '-', postalCode: '-', city: '-' }, whatHappened: '-', expected: '-', occurredOn: '2000-01-01' })) {
      const action = pathOf('completeDetails');
      const field = (id: string, kind: string) => ({ id, kind, label: t.fields[id], value: valueOf(action, id) });
      const fields = incomplete.flatMap((name) =>
        name === 'address' ? [field('street', 'text'), field('postalCode', 'text'), field('city', 'text')] : [field(name, name === 'occurredOn' ? 'date' : name === 'whatHappened' || name === 'expected' ? 'textarea' : 'text')],
      );
      forms.unshift({ action, title: t.detailsTitle, intro: t.detailsIntro, error: errorFor(action), fields, submit: t.sendDetails });
    }
    if (!refusalNow('addInformation', dossier, { text: '-' }) || state.action === pathOf('addInformation')) {
      const action = pathOf('addInformation');
      // An open question (suspension): this form is where they answer it, with the question above it.
      forms.push({
        action,
        title: open ? t.questionTitle : t.informationTitle,
        ...(open ? { intro: t.questionIntro(dateInWords(language, open.answerBy)), quote: open.question } : {}),
        error: errorFor(action),
        fields: [{ id: 'text', kind: 'textarea', label: open ? t.answerLabel : t.information, value: valueOf(action, 'text') }],
        submit: t.sendInformation,
      });
    }
    // Reopening, where the procedure has it: after "not satisfied", or up to its days after closure.
    if (!refusalNow('requestReopening', dossier, { reason: '-' }) || state.action === pathOf('requestReopening')) {
      const action = pathOf('requestReopening');
      forms.push({
        action,
        title: t.reopenTitle,
        intro: t.reopenIntro(dossier.outcome && dossier.reopenBy ? dateInWords(language, dossier.reopenBy) : undefined),
        error: errorFor(action),
        fields: [{ id: 'reason', kind: 'textarea', label: t.reopenReason, value: valueOf(action, 'reason') }],
        submit: t.sendReopen,
      });
    }
    if (!refusalNow('withdraw', dossier, {})) {
      const action = pathOf('withdraw');
      forms.push({
        action,
        title: t.withdrawTitle,
        intro: t.withdrawIntro,
        error: errorFor(action),
        fields: [{ id: 'reason', kind: 'textarea', label: t.reason, value: valueOf(action, 'reason') }],
        submit: t.sendWithdraw,
        secondary: true,
      });
    }
    const shownDetail = new Set(['information-added', 'satisfied', 'not-satisfied', 'agreements', 'reopening-refused']);
    // A refusal whose form is gone now (the state moved on meanwhile) is said above the forms.
    const formless = state.action !== undefined && !forms.some((f) => f.action === state.action);
    await render(res, status, 'dossier', {
      ...layout(t, language, deps.procedures.get(dossier.procedure), t.dossierTitle(dossier.reference)),
      reference: dossier.reference,
      token,
      submission,
      csrf: generateCsrfToken(req, res),
      statusLabel: t.status,
      status: `${t.statuses[dossier.status] ?? dossier.status}${dossier.outcome ? ` (${t.outcomes[dossier.outcome] ?? dossier.outcome})` : ''}`,
      done: typeof req.query.gedaan === 'string' ? t.done[req.query.gedaan] : undefined,
      refusal: formless ? (state.error ?? (state.refusal ? refused(state.refusal) : undefined)) : undefined,
      refusedTitle: t.refused,
      termsTitle: t.termsTitle,
      terms,
      position: dossier.position ? { paragraphs: dossier.position.text.split('\n').filter((p) => p.trim()), solution: dossier.position.solution, agreements: dossier.position.agreements } : undefined,
      positionTitle: t.positionTitle,
      solutionLabel: t.solution,
      agreementsLabel: t.agreements,
      forms,
      timelineTitle: t.timelineTitle,
      timeline: dossier.timeline
        .filter((e) => t.events[e.event])
        .map((e) => ({ at: e.at, when: instantInWords(language, e.at, dossier.timezone, 'long'), what: t.events[e.event], detail: shownDetail.has(e.event) ? e.detail : undefined })),
      correspondenceTitle: t.correspondenceTitle,
      // What went, by its subject; what is still on its way or could not be delivered, said so.
      correspondence: dossier.correspondence.map((c) => ({
        at: c.sentAt ?? c.at,
        when: instantInWords(language, c.sentAt ?? c.at, dossier.timezone, 'long'),
        subject: { sent: c.subject, posted: t.mailPosted(c.subject), 'to-post': t.letterToPost, queued: t.mailQueued, undelivered: t.mailUndelivered, received: t.mailFromYou(c.subject) }[c.status],
      })),
      // Where the procedure says so (Babbage): who handles the complaint and whom it concerns, by name and role.
      involvedTitle: t.involvedTitle,
      involved: dossier.rules.showInvolvedPeople
        ? [
            ...(dossier.handler ? [{ name: deps.staff.find((m) => m.id === dossier.handler)?.name ?? dossier.handler, role: t.handlesYourComplaint }] : []),
            ...dossier.involved.map((p) => ({ name: p.name, role: p.role ?? t.involvedInYourComplaint })),
          ]
        : [],
      // What they sent with their e-mails, to download again through the same link.
      attachmentsTitle: t.attachmentsTitle,
      attachments: attachmentsOf(dossier)
        .filter((a) => a.id)
        .map((a) => ({ name: a.name, size: fileSize(a.size, language), href: `/dossier/${dossier.reference}/bijlagen/${a.id}?token=${encodeURIComponent(token)}` })),
    });
  };

  /** Temporal away or a complaint gone: a page that says so, never a stack trace. */
  const unavailable = async (req: Request, res: Response, err: unknown) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    if (err instanceof HttpProblem && err.problem.status === 404) return message(res, 404, language, undefined, t.notFoundTitle, '');
    if (err instanceof HttpProblem && err.problem.status === 503) {
      if (err.options.operator) logOperatorProblem(deps.logger, err);
      return message(res, 503, language, undefined, t.unavailableTitle, t.unavailableText);
    }
    throw err;
  };

  const invalidLink = (req: Request, res: Response) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    return message(res, 403, language, undefined, t.invalidLinkTitle, t.invalidLinkText, { href: `/dossier/nieuwe-link${language === 'en' ? '?lang=en' : ''}`, label: t.newLinkAsk });
  };

  // --- a new link, for a complainant who lost theirs (issue 17) ---------------------------------

  const newLinkPage = (req: Request, res: Response, status: number, values: { reference?: string; email?: string; errors?: Record<string, string> } = {}) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    return render(res, status, 'new-link', {
      ...layout(t, language, undefined, t.newLinkTitle),
      intro: t.newLinkIntro,
      referenceLabel: t.newLinkReference,
      emailLabel: t.newLinkEmail,
      submit: t.newLinkSubmit,
      csrf: generateCsrfToken(req, res),
      ...values,
    });
  };
  const newLinkTooMany = (req: Request, res: Response) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    void message(res, 429, language, undefined, t.newLinkTooManyTitle, t.newLinkTooManyText);
  };
  // Guessing which address goes with a reference is slow: per client address, and per reference.
  const newLinkPerAddress = rateLimit({ windowMs: 60 * 60_000, limit: 10, standardHeaders: 'draft-8', legacyHeaders: false, handler: newLinkTooMany });
  const referenceOf = (req: Request) => String((req.body as Values | undefined)?.reference ?? '').trim().toUpperCase();
  const newLinkPerReference = rateLimit({ windowMs: 60 * 60_000, limit: 5, standardHeaders: 'draft-8', legacyHeaders: false, keyGenerator: (req) => `reference:${referenceOf(req)}`, handler: newLinkTooMany });

  router.get('/dossier/nieuwe-link', (req, res) => newLinkPage(req, res, 200));

  router.post('/dossier/nieuwe-link', doubleCsrfProtection, newLinkPerAddress, newLinkPerReference, async (req, res) => {
    const language = languageOf(req, 'nl');
    const t = textsFor(language);
    const reference = referenceOf(req);
    const email = String((req.body as Values).email ?? '').trim();
    const errors = {
      ...(referencePattern.test(reference) ? {} : { reference: t.newLinkReferenceInvalid }),
      ...(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? {} : { email: t.newLinkEmailInvalid }),
    };
    if (Object.keys(errors).length) return newLinkPage(req, res, 400, { reference, email, errors });
    try {
      const sent = await sendRequestedLink(deps, reference, email);
      deps.logger.info({ reference, sent }, 'dossier link asked for');
    } catch (err) {
      return unavailable(req, res, err);
    }
    // The same answer whether they match or not: the page tells nobody which address a complaint has.
    return message(res, 200, language, undefined, t.newLinkSentTitle, t.newLinkSentText);
  });

  router.get('/dossier/:reference', async (req, res) => {
    const link = linkOf(req, req.query.token);
    if (!link) return invalidLink(req, res);
    try {
      const dossier = await deps.complaints.dossier(link.claims.reference, 'complainant');
      if (revoked(link.claims, dossier)) return invalidLink(req, res);
      await dossierPage(req, res, 200, dossier, link);
    } catch (err) {
      await unavailable(req, res, err);
    }
  });

  // An attachment of the complainant's own e-mail, through the same link.
  router.get('/dossier/:reference/bijlagen/:id', async (req, res) => {
    const link = linkOf(req, req.query.token);
    if (!link || link.claims.reference !== req.params.reference) return invalidLink(req, res);
    try {
      const dossier = await deps.complaints.dossier(link.claims.reference, 'complainant');
      if (revoked(link.claims, dossier)) return invalidLink(req, res);
      await sendAttachment(res, deps.attachments, dossier, String(req.params.id));
    } catch (err) {
      await unavailable(req, res, err);
    }
  });

  /** Each form's fields in the shape of its action's body. */
  const bodies: Partial<Record<ActionName, (values: Values) => Record<string, unknown>>> = {
    respondSatisfaction: (v) => ({ satisfied: v.satisfied === 'yes' ? true : v.satisfied === 'no' ? false : undefined, comment: text(v, 'comment') }),
    fileAppeal: (v) => ({ grounds: text(v, 'grounds') }),
    addInformation: (v) => ({ text: text(v, 'text') }),
    withdraw: (v) => ({ reason: text(v, 'reason') }),
    completeDetails: (v) => {
      const [street, postalCode, city] = [text(v, 'street'), text(v, 'postalCode'), text(v, 'city')];
      return {
        name: text(v, 'name'),
        phone: text(v, 'phone'),
        address: street || postalCode || city ? { street, postalCode, city } : undefined,
        whatHappened: text(v, 'whatHappened'),
        expected: text(v, 'expected'),
        occurredOn: text(v, 'occurredOn'),
      };
    },
  };
  const formMessages = (t: Texts): Partial<Record<ActionName, string>> => ({
    respondSatisfaction: t.errors.choice,
    fileAppeal: t.errors.missing.description!,
    addInformation: t.errors.missing.description!,
    withdraw: t.errors.invalid,
    completeDetails: t.detailsInvalid,
  });
  const formActions = new Map(actionNames.filter((name) => bodies[name]).map((name) => [pathOf(name), name]));

  router.post('/dossier/:reference/:action', doubleCsrfProtection, async (req, res) => {
    const values = formValues(req.body);
    const link = linkOf(req, values.token);
    const action = String(req.params.action);
    const name = formActions.get(action);
    if (!link) return invalidLink(req, res);
    const { reference } = link.claims;
    if (!name) return message(res, 404, languageOf(req, 'nl'), undefined, textsFor(languageOf(req, 'nl')).notFoundTitle, '');
    const body = Object.fromEntries(Object.entries(bodies[name]!(values)).filter(([, v]) => v !== undefined));
    const parsed = (bodySchema(name) as z.ZodType).safeParse(body);
    try {
      if (!parsed.success) {
        const dossier = await deps.complaints.dossier(reference, 'complainant');
        if (revoked(link.claims, dossier)) return invalidLink(req, res);
        return await dossierPage(req, res, 400, dossier, link, { action, error: formMessages(textsFor(languageOf(req, dossier.language)))[name], values });
      }
      // The form's submission id is the Idempotency-Key: a second click or a resent form lands once.
      const idempotencyKey = submissionOf(values);
      const language = languageOf(req, 'nl');
      await deps.complaints.act(reference, name, { actor: complainantActor(link.claims), input: parsed.data as never }, { view: 'complainant', language, ...(idempotencyKey ? { idempotencyKey } : {}) });
      const lang = req.query.lang === 'en' ? '&lang=en' : '';
      res.redirect(303, `/dossier/${reference}?token=${encodeURIComponent(link.token)}&gedaan=${action}${lang}`);
    } catch (err) {
      // Refused in this state (the window closed, say): the page shows why, next to the form.
      const refusal = err instanceof HttpProblem ? problemRefusal(err.problem) : undefined;
      // Revoked meanwhile: the same page as a link that never was.
      if (refusal?.code === 'LinkRevoked') return invalidLink(req, res);
      if (refusal) {
        const dossier = await deps.complaints.dossier(reference, 'complainant');
        return dossierPage(req, res, err instanceof HttpProblem ? err.problem.status : 409, dossier, link, { action, refusal, values });
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
