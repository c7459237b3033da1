// The back office (issue 15), server-rendered like the complainant's pages: sign-in by a
// single-use e-mailed link, an 8-hour session cookie, sign-out, and the work queue. Every form
// carries a CSRF token; the sign-in form is rate-limited per address and per e-mail address.
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Client } from '@temporalio/client';
import { Liquid } from 'liquidjs';
import QRCode from 'qrcode';
import type { StaffMember } from '../../config/staff';
import type { Preview } from './previews';
import { type ActionName, pathOf, refusalFor } from '../../domain/actions';
import { dossierUrl, linkScopes, signInIdOf, viewOnly } from '../../domain/link-token';
import { type Refusal, refusalStatus, refusalText, wording } from '../../domain/refusals';
import type { AttachmentRef } from '../../domain/attachments';
import type { Dossier, DossierTerm, TermName } from '../../domain/dossier';
import { openSuspension } from '../../domain/lifecycle';
import { dateInWords, instantInWords, localDateOf } from '../../domain/local-date';
import { referencePattern } from '../../domain/reference';
import { fileSize, termLabel } from '../../domain/words';
import type { AppealLevel } from '../../domain/procedure';
import { taskQueue } from '../../domain/messages';
import { decides, type Language, staffRoles } from '../../domain/vocabulary';
import type { staffSignInWorkflow } from '../../workflows/sign-in';
import type { AppDependencies } from '../app';
import { sendAttachment } from '../attachments';
import { HttpProblem } from '../problem';
import { problemRefusal } from '../refusals';
import { actionTexts } from './action-texts';
import { availability, bodyOf, type FieldErrors, fieldsOf, type FormContext, formActions, refusalPlace, staffActor, todayOf } from './forms';
import { isPreviewed, previewer } from './previews';
import { formValues, submissionOf } from '../pages/intake-form';
import { type RegisterRow, registerEntries } from '../register';
import { logOperatorProblem } from '../temporal-errors';
import { type BackofficeStore, sessionCookieName } from './sessions';
import { backofficeTexts, type BackofficeTexts } from './texts';
import { reportRoutes } from './reports';
import { oidcRoutes } from './oidc';
import { registerRoutes } from './register';
import { intakeRoutes } from './intake';

const templatesDir = join(__dirname, '..', '..', 'templates', 'pages');
type Values = Record<string, string | undefined>;

/** Where a signed-in person may be sent back to: a back-office path of ours, nothing else. */
export const returnPath = (value: unknown): string =>
  typeof value === 'string' && /^\/beheer(\/[\w.-]+)*\/?(\?[\w=&%.-]*)?$/.test(value) && !value.includes('..') ? value : '/beheer';

/** What every back-office page route uses: rendering, a message page, the session guard and the page's language. */
export interface PageKit {
  render: (req: Request, res: Response, status: number, page: string, values: Record<string, unknown>, staff?: StaffMember) => Promise<void>;
  message: (req: Request, res: Response, status: number, title: string, text: string) => Promise<void>;
  /** Says on a page that Temporal does not answer (503), where `err` is that; false for any other error. */
  unavailable: (req: Request, res: Response, err: unknown, doing?: 'read' | 'act') => Promise<boolean>;
  signedIn: (req: Request, res: Response, next: NextFunction) => void;
  languageOf: (req: Request) => Language;
}

export function backofficeRoutes(deps: AppDependencies): Router {
  const router = Router();
  const liquid = new Liquid({ root: templatesDir, extname: '.liquid', cache: true, outputEscape: 'escape', strictVariables: false });
  const https = deps.publicBaseUrl.startsWith('https:');
  const sessionCookie = sessionCookieName(deps.publicBaseUrl);
  const sessionTokenOf = (req: Request): string | undefined => {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[sessionCookie];
    return typeof value === 'string' ? value : undefined;
  };
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => deps.linkSecret,
    // Bound to the session once there is one: a token from before sign-in does not work after it.
    getSessionIdentifier: (req) => sessionTokenOf(req) ?? 'signed-out',
    cookieName: https ? '__Host-klachtflow-staff-csrf' : 'klachtflow-staff-csrf',
    cookieOptions: { sameSite: 'strict', secure: https, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req: Request) => (req.body as Values | undefined)?._csrf,
  });
  router.use('/beheer', cookieParser(), express.urlencoded({ extended: false, limit: '64kb' }));

  const languageOf = (req: Request): Language => (req.query.lang === 'en' ? 'en' : 'nl');
  const render = async (req: Request, res: Response, status: number, page: string, values: Record<string, unknown>, staff?: StaffMember) => {
    const language = languageOf(req);
    const t = backofficeTexts(language);
    const reports = staff ? decides(staff.roles) : false;
    res
      .status(status)
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(await liquid.renderFile(`beheer/${page}`, { lang: language, t, staff, reports, path: req.path, csrf: generateCsrfToken(req, res), ...values }));
  };
  const message = (req: Request, res: Response, status: number, title: string, text: string) => render(req, res, status, 'message', { title, text });
  /** A Temporal that does not answer (503): the page says so and the operator's cause is logged; false for any other error. */
  const unavailable = async (req: Request, res: Response, err: unknown, doing: 'read' | 'act' = 'read'): Promise<boolean> => {
    if (!(err instanceof HttpProblem && err.problem.status === 503)) return false;
    if (err.options.operator) logOperatorProblem(deps.logger, err);
    const t = backofficeTexts(languageOf(req));
    await message(req, res, 503, t.unavailableTitle, doing === 'act' ? t.actionUnavailableText : t.unavailableText);
    return true;
  };

  // --- signing in ----------------------------------------------------------------------------

  const tooMany = (req: Request, res: Response) => {
    const t = backofficeTexts(languageOf(req));
    void message(req, res, 429, t.tooManyTitle, t.tooManyText);
  };
  const perAddress = rateLimit({ windowMs: 15 * 60_000, limit: 20, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany });
  const emailOf = (req: Request) => String((req.body as Values | undefined)?.email ?? '').trim().toLowerCase();
  const perEmail = rateLimit({ windowMs: 15 * 60_000, limit: 5, standardHeaders: 'draft-8', legacyHeaders: false, keyGenerator: (req) => `email:${emailOf(req)}`, handler: tooMany });

  /** A session cookie for `member`; `roles` from an OpenID provider's groups stand for the staff file's. */
  const startSession = (res: Response, member: StaffMember, roles?: readonly string[]) => {
    const session = deps.backoffice.createSession(member.id, roles);
    res.cookie(sessionCookie, session.token, { httpOnly: true, secure: https, sameSite: 'lax', path: '/', expires: session.expiresAt });
  };

  router.get('/beheer/inloggen', (req, res) =>
    render(req, res, 200, 'sign-in', { back: returnPath(req.query.terug), oidc: deps.oidc ? { label: backofficeTexts(languageOf(req)).oidc.button(deps.oidc.label), href: `/beheer/inloggen/oidc?terug=${encodeURIComponent(returnPath(req.query.terug))}` } : undefined }),
  );

  router.post('/beheer/inloggen', doubleCsrfProtection, perAddress, perEmail, async (req, res) => {
    const t = backofficeTexts(languageOf(req));
    const email = emailOf(req);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return render(req, res, 400, 'sign-in', { error: t.emailInvalid, email });
    const member = deps.staff.find((m) => m.email.toLowerCase() === email);
    if (member) {
      try {
        await mailSignInLink(deps.client, deps.backoffice, member, returnPath((req.body as Values).terug));
      } catch (err) {
        deps.logger.error({ staff: member.id, error: err instanceof Error ? err.name : 'unknown' }, 'could not start the sign-in e-mail');
        return message(req, res, 503, t.unavailableTitle, t.unavailableText);
      }
      deps.logger.info({ staff: member.id }, 'sign-in link requested');
    }
    // The same answer whether the address is known or not: the page reveals no staff list.
    return message(req, res, 200, t.linkSentTitle, t.linkSentText);
  });

  // Before the link's route: /beheer/inloggen/oidc is no sign-in link.
  if (deps.oidc) oidcRoutes(router, deps, { message, languageOf }, deps.oidc, startSession, returnPath);

  router.get('/beheer/inloggen/:token', (req, res) => {
    const t = backofficeTexts(languageOf(req));
    const id = signInIdOf(deps.linkSecret, String(req.params.token));
    // A mail scanner that opens the link uses nothing: signing in is the button's POST.
    if (!id || !deps.backoffice.signInUsable(id)) return message(req, res, 403, t.linkInvalidTitle, t.linkInvalidText);
    return render(req, res, 200, 'sign-in-confirm', { token: req.params.token, back: returnPath(req.query.terug) });
  });

  router.post('/beheer/inloggen/:token', doubleCsrfProtection, (req, res) => {
    const t = backofficeTexts(languageOf(req));
    const id = signInIdOf(deps.linkSecret, String(req.params.token));
    const staffId = id ? deps.backoffice.consumeSignIn(id) : undefined;
    const member = staffId ? deps.staff.find((m) => m.id === staffId) : undefined;
    if (!member) return message(req, res, 403, t.linkInvalidTitle, t.linkInvalidText);
    startSession(res, member);
    deps.logger.info({ staff: member.id }, 'signed in to the back office');
    res.redirect(303, returnPath(req.query.terug));
  });

  // --- everything else needs a session ---------------------------------------------------------

  const signedIn = (req: Request, res: Response, next: NextFunction): void => {
    const token = sessionTokenOf(req);
    const session = token ? deps.backoffice.sessionOf(token) : undefined;
    const member = session ? deps.staff.find((m) => m.id === session.staffId) : undefined;
    if (!member) return void res.redirect(303, `/beheer/inloggen?terug=${encodeURIComponent(req.originalUrl)}`);
    // Signed in through the OpenID provider: the roles its groups gave, for this session.
    res.locals.staff = session?.roles ? { ...member, roles: staffRoles.filter((r) => session.roles!.includes(r)) } : member;
    next();
  };

  const kit: PageKit = { render, message, unavailable, signedIn, languageOf };
  reportRoutes(router, deps, kit);
  registerRoutes(router, deps, kit);
  intakeRoutes(router, deps, kit, doubleCsrfProtection);

  router.post('/beheer/uitloggen', signedIn, doubleCsrfProtection, (req, res) => {
    deps.backoffice.endSession(sessionTokenOf(req)!);
    res.clearCookie(sessionCookie, { httpOnly: true, secure: https, sameSite: 'lax', path: '/' });
    res.redirect(303, '/beheer/inloggen');
  });

  router.get('/beheer', signedIn, async (req, res) => {
    const staff = res.locals.staff as StaffMember;
    const language = languageOf(req);
    const t = backofficeTexts(language);
    const everyone = staff.roles.includes('manager') && req.query.wie === 'iedereen';
    try {
      const lines = await registerEntries(deps.client, deps.linkSecret, deps.complaints, { pageSize: 500, open: true }, 2_000);
      const mine = everyone ? lines : lines.filter(({ row }) => row.handler === staff.id || !row.handler);
      const groups = queueGroups(
        mine.map(({ row, entry }) => ({
          row,
          name: entry?.filed.complainant.name,
          subject: entry?.filed.subject,
          handlerName: deps.staff.find((m) => m.id === row.handler)?.name,
          route: row.procedure ? deps.procedures.get(row.procedure)?.appeals : undefined,
          lettersToPost: entry?.mail.some((m) => m.status === 'to-post') === true,
          incomplete: (entry?.filed.incomplete?.length ?? 0) > 0,
        })),
        t,
        language,
      );
      const queueCount = groups.reduce((sum, g) => sum + g.rows.length, 0);
      return render(req, res, 200, 'queue', { title: t.queueTitle, groups, queueCount, everyone, manager: staff.roles.includes('manager') }, staff);
    } catch (err) {
      if (!(await unavailable(req, res, err))) throw err;
    }
  });

  // --- the dossier and its actions -------------------------------------------------------------

  const preview = previewer(deps);
  const byPath = new Map(formActions.map((name) => [pathOf(name), name]));
  /** What the preview was made of: sending needs the same body, else the new preview is shown first. */
  const previewCheck = (reference: string, name: ActionName, body: unknown) => createHmac('sha256', deps.linkSecret).update(`preview:${reference}:${name}:${JSON.stringify(body)}`).digest('base64url');

  /** The dossier, or the page that says why not (404, 503); undefined then. */
  const dossierOr = async (req: Request, res: Response, reference: string): Promise<Dossier | undefined> => {
    const t = backofficeTexts(languageOf(req));
    if (!referencePattern.test(reference)) return void (await message(req, res, 404, t.notFoundTitle, t.notFoundText));
    try {
      return await deps.complaints.dossier(reference, 'staff');
    } catch (err) {
      if (err instanceof HttpProblem && err.problem.status === 404) return void (await message(req, res, 404, t.notFoundTitle, t.notFoundText));
      if (!(await unavailable(req, res, err))) throw err;
      return undefined;
    }
  };

  interface FormState {
    action?: ActionName;
    values?: Values;
    errors?: FieldErrors;
    refusal?: Refusal;
    preview?: Preview;
    checked?: string;
    notice?: string;
  }

  const dossierPage = async (req: Request, res: Response, status: number, dossier: Dossier, member: StaffMember, state: FormState = {}) => {
    const language = languageOf(req);
    const t = backofficeTexts(language);
    const a = actionTexts(language);
    const ctx: FormContext = { dossier, staff: deps.staff, t: a, language, now: new Date() };
    const words = wording(language, dossier.timezone, dossier.route);
    const { shown, notNow } = availability(ctx, member);
    const submission = (state.values && submissionOf(state.values)) ?? randomUUID();
    const refusalWords = state.refusal ? refusalText(state.refusal, words, language) : undefined;
    const refusalAt = state.action && state.refusal ? refusalPlace(state.action, ctx, state.refusal) : undefined;
    const errors = { ...state.errors, ...(refusalAt && refusalWords ? { [refusalAt]: refusalWords } : {}) };
    const forms = shown.map((name) => {
      const mine = state.action === name;
      const previewing = mine && state.preview !== undefined;
      return {
        name,
        path: pathOf(name),
        ...a.actions[name],
        fields: fieldsOf(name, ctx, mine ? state.values : undefined, mine ? errors : {}),
        error: mine ? (refusalAt ? undefined : refusalWords) : undefined,
        open: mine,
        previewable: isPreviewed(name),
        preview: previewing ? state.preview : undefined,
        checked: previewing ? state.checked : undefined,
        notice: mine ? state.notice : undefined,
        today: todayOf(ctx),
      };
    });
    const done = typeof req.query.gedaan === 'string' ? byPath.get(req.query.gedaan) : undefined;
    // A refusal whose form is not on the page (the complaint moved on, or not this person's action): said at the top.
    const formless = state.action !== undefined && !shown.includes(state.action) ? (refusalWords ?? Object.values(state.errors ?? {})[0]) : undefined;
    return render(
      req,
      res,
      status,
      'dossier',
      {
        title: `${t.dossierTitle} ${dossier.reference}`,
        ...dossierView(dossier, t, language, deps.staff),
        a,
        forms,
        submission,
        notNow: notNow.map(({ name, refusal }) => ({ title: a.actions[name]?.title ?? name, reason: refusalText(refusal, words, language) })),
        done: done ? `${a.done} ${a.actions[done]?.title ?? done}` : req.query.nieuw === '1' ? (dossier.complaint.complainant.email ? t.intake.registered : t.intake.registeredByPost) : undefined,
        accessLink: decides(member.roles) ? `/beheer/klachten/${dossier.reference}/inzage${language === 'en' ? '?lang=en' : ''}` : undefined,
        formless,
      },
      member,
    );
  };

  router.get('/beheer/klachten/:reference', signedIn, async (req, res) => {
    const dossier = await dossierOr(req, res, String(req.params.reference));
    if (dossier) await dossierPage(req, res, 200, dossier, res.locals.staff as StaffMember);
  });

  // A letter to a complainant without an e-mail address: the e-mail's text on the organisation's
  // letterhead, to print, with its dossier link whole again; and the form to record its posting.
  // An attachment of an e-mail that came in, as a download.
  router.get('/beheer/klachten/:reference/bijlagen/:id', signedIn, async (req, res) => {
    const t = backofficeTexts(languageOf(req));
    const dossier = await dossierOr(req, res, String(req.params.reference));
    if (!dossier) return;
    try {
      await sendAttachment(res, deps.attachments, dossier, String(req.params.id));
    } catch (err) {
      if (err instanceof HttpProblem && err.problem.status === 404) return message(req, res, 404, t.attachments.goneTitle, t.attachments.goneText);
      throw err;
    }
  });

  router.get('/beheer/klachten/:reference/brieven/:letter', signedIn, async (req, res) => {
    const member = res.locals.staff as StaffMember;
    const language = languageOf(req);
    const t = backofficeTexts(language);
    const dossier = await dossierOr(req, res, String(req.params.reference));
    if (!dossier) return;
    const id = Number(req.params.letter);
    const entry = Number.isInteger(id) ? dossier.correspondence[id] : undefined;
    if (entry?.to !== 'complainant' || (entry.status !== 'to-post' && entry.status !== 'posted') || !entry.text) return message(req, res, 404, t.letter.title, t.letter.notALetter);
    const procedure = deps.procedures.get(dossier.procedure);
    const person = dossier.complaint.complainant;
    const link = dossierUrl(deps.publicBaseUrl, deps.linkSecret, dossier.reference, new Date(dossier.receivedAt), {
      generation: dossier.linkGeneration ?? 0,
      scopes: dossier.outcome ? viewOnly : linkScopes,
    });
    const ctx: FormContext = { dossier, staff: deps.staff, t: actionTexts(language), language, now: new Date() };
    const postable = entry.status === 'to-post' && availability(ctx, member).shown.includes('markPosted');
    await render(
      req,
      res,
      200,
      'letter',
      {
        title: `${t.letter.title}: ${entry.subject}`,
        x: t.letter,
        // The letter itself speaks the complainant's language; the page around it the staff member's.
        l: backofficeTexts(dossier.language).letter,
        letterLang: dossier.language,
        reference: dossier.reference,
        organisation: procedure?.organisation ?? dossier.procedure,
        letterhead: [...(procedure?.letterhead.address ?? []), ...[procedure?.contact.phone, procedure?.contact.email, procedure?.contact.url].filter(Boolean)],
        recipient: [person.name, person.address?.street, person.address ? `${person.address.postalCode} ${person.address.city}` : undefined].filter(Boolean),
        date: dateInWords(dossier.language, localDateOf(new Date(entry.posted?.at ?? Date.now()), dossier.timezone)),
        subject: entry.subject,
        text: entry.text.replace(`/dossier/${dossier.reference}?token=…`, link.slice(deps.publicBaseUrl.length)),
        // The link is long to type: on paper it is a code a phone's camera reads too.
        qr: await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
        posted: entry.posted ? t.letter.postedOn(instantInWords(language, entry.posted.at, dossier.timezone, 'long'), deps.staff.find((m) => m.id === entry.posted!.by)?.name ?? entry.posted.by) : undefined,
        form: postable ? { path: pathOf('markPosted'), ...actionTexts(language).actions.markPosted, fields: fieldsOf('markPosted', ctx, { letter: String(id) }).filter((f) => f.name !== 'letter') } : undefined,
        letterId: id,
        submission: randomUUID(),
        back: `/beheer/klachten/${dossier.reference}${language === 'en' ? '?lang=en' : ''}`,
      },
      member,
    );
  });

  // A request of access (AVG/GDPR art. 15): the whole dossier as a page to print, and as JSON; on record who took it.
  const accessExport = async (req: Request, res: Response): Promise<{ dossier: Dossier; member: StaffMember; exportedAt: Date } | undefined> => {
    const member = res.locals.staff as StaffMember;
    const t = backofficeTexts(languageOf(req));
    if (!decides(member.roles)) return void (await render(req, res, 403, 'message', { title: t.access.title, text: t.access.forbiddenText }, member));
    const dossier = await dossierOr(req, res, String(req.params.reference));
    if (!dossier) return undefined;
    deps.logger.info({ reference: dossier.reference, staff: member.id }, 'dossier exported for a request of access');
    return { dossier, member, exportedAt: new Date() };
  };
  router.get('/beheer/klachten/:reference/inzage', signedIn, async (req, res) => {
    const taken = await accessExport(req, res);
    if (!taken) return;
    const language = languageOf(req);
    const t = backofficeTexts(language);
    const { dossier, member, exportedAt } = taken;
    await render(
      req,
      res,
      200,
      'access',
      {
        title: `${t.access.title} ${dossier.reference}`,
        x: t.access,
        printing: true,
        exportedAt: instantInWords(language, exportedAt.toISOString(), dossier.timezone, 'long'),
        json: `/beheer/klachten/${dossier.reference}/inzage.json`,
        ...dossierView(dossier, t, language, deps.staff),
      },
      member,
    );
  });
  router.get('/beheer/klachten/:reference/inzage.json', signedIn, async (req, res) => {
    const taken = await accessExport(req, res);
    if (!taken) return;
    const { dossier, member, exportedAt } = taken;
    const at = exportedAt.toISOString();
    res
      .set('Cache-Control', 'no-store')
      .attachment(`klacht-${dossier.reference}-inzage-${at.slice(0, 10)}.json`)
      .json({ purpose: 'request of access (AVG art. 15)', reference: dossier.reference, exportedAt: at, exportedBy: member.id, dossier });
  });

  router.post('/beheer/klachten/:reference/:action', signedIn, doubleCsrfProtection, async (req, res) => {
    const member = res.locals.staff as StaffMember;
    const language = languageOf(req);
    const t = backofficeTexts(language);
    const name = byPath.get(String(req.params.action));
    if (!name) return message(req, res, 404, t.notFoundTitle, t.notFoundText);
    const dossier = await dossierOr(req, res, String(req.params.reference));
    if (!dossier) return;
    const values = formValues(req.body);
    const now = new Date();
    const ctx: FormContext = { dossier, staff: deps.staff, t: actionTexts(language), language, now };
    const { body, errors } = bodyOf(name, ctx, values);
    if (Object.keys(errors).length) return dossierPage(req, res, 400, dossier, member, { action: name, values, errors });
    const actor = staffActor(member);
    // The same guard as the workflow's validator: a refusal is said next to the form before anything is sent.
    const refusal = refusalFor(name, dossier, { actor, input: body }, now.getTime());
    if (refusal) return dossierPage(req, res, refusalStatus(refusal), dossier, member, { action: name, values, refusal });
    if (isPreviewed(name)) {
      const check = previewCheck(dossier.reference, name, body);
      if (values.intent !== 'send' || values.checked !== check) {
        const a = actionTexts(language);
        const notice = values.intent === 'send' ? (values.checked ? a.previewChanged : a.previewFirst) : undefined;
        const rendered = await preview(name, dossier, body as never, member.id, now);
        return dossierPage(req, res, 200, dossier, member, { action: name, values, preview: rendered, checked: check, ...(notice ? { notice } : {}) });
      }
    }
    // The form's submission id is the Idempotency-Key: a second click or a resent form lands once.
    const idempotencyKey = submissionOf(values);
    try {
      await deps.complaints.act(dossier.reference, name, { actor, input: body }, { view: 'staff', language, ...(idempotencyKey ? { idempotencyKey } : {}) });
    } catch (err) {
      const refused = err instanceof HttpProblem ? problemRefusal(err.problem) : undefined;
      if (refused) return dossierPage(req, res, (err as HttpProblem).problem.status, (await dossierOr(req, res, dossier.reference)) ?? dossier, member, { action: name, values, refusal: refused });
      if (!(await unavailable(req, res, err, 'act'))) throw err;
      return;
    }
    deps.logger.info({ staff: member.id, reference: dossier.reference, action: name }, 'back-office action taken');
    res.redirect(303, `/beheer/klachten/${dossier.reference}?gedaan=${pathOf(name)}${language === 'en' ? '&lang=en' : ''}`);
  });

  // A form that outlived its page: said in words, on a page.
  router.use('/beheer', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if ((err as { code?: string }).code !== 'EBADCSRFTOKEN') return next(err);
    const t = backofficeTexts(languageOf(req));
    void message(req, res, 403, t.formExpiredTitle, t.formExpiredText);
  });
  return router;
}

/** A new sign-in for `member`, its link e-mailed by the worker (workflow staffSignInWorkflow). */
export async function mailSignInLink(client: Client, store: BackofficeStore, member: StaffMember, back = '/beheer'): Promise<void> {
  const signIn = store.createSignIn(member.id);
  await client.connection.withDeadline(Date.now() + 5000, () =>
    client.workflow.start<typeof staffSignInWorkflow>('staffSignInWorkflow', {
      taskQueue,
      workflowId: `staff-sign-in-${randomUUID()}`,
      args: [{ staffId: member.id, id: signIn.id, expiresAt: signIn.expiresAt.toISOString(), ...(back !== '/beheer' ? { back } : {}) }],
    }),
  );
}

interface QueueLine {
  row: RegisterRow;
  name?: string;
  subject?: string;
  /** The handler's name, where the staff file knows the id. */
  handlerName?: string;
  /** The procedure's appeal route, to name an appeal term by its body. */
  route?: readonly AppealLevel[];
  /** A letter to the complainant waits to be printed and posted. */
  lettersToPost?: boolean;
  /** Came by e-mail without details the procedure needs; the complainant was asked for them. */
  incomplete?: boolean;
}

/**
 * The work queue's groups: by the next term, overdue, due today or due this week (each complaint in
 * the first that fits); and beside them new and unassigned, waiting for the complainant, in appeal.
 */
export function queueGroups(lines: readonly QueueLine[], t: BackofficeTexts, language: Language, now = new Date()) {
  const today = localDateOf(now, 'Europe/Amsterdam');
  const weekEnd = localDateOf(new Date(now.getTime() + 7 * 24 * 3600_000), 'Europe/Amsterdam');
  const dueOn = (line: QueueLine) => (line.row.nextDeadline ? localDateOf(new Date(line.row.nextDeadline), 'Europe/Amsterdam') : undefined);
  const kinds = [
    { id: 'overdue', byTerm: true, fits: (l: QueueLine) => l.row.overdue === true || (dueOn(l) !== undefined && dueOn(l)! < today) },
    { id: 'today', byTerm: true, fits: (l: QueueLine) => dueOn(l) === today },
    { id: 'week', byTerm: true, fits: (l: QueueLine) => dueOn(l) !== undefined && dueOn(l)! <= weekEnd },
    { id: 'letters', byTerm: false, fits: (l: QueueLine) => l.lettersToPost === true },
    { id: 'incomplete', byTerm: false, fits: (l: QueueLine) => l.incomplete === true },
    { id: 'unassigned', byTerm: false, fits: (l: QueueLine) => !l.row.handler },
    { id: 'waiting', byTerm: false, fits: (l: QueueLine) => l.row.status === 'awaiting_complainant' },
    { id: 'appeal', byTerm: false, fits: (l: QueueLine) => l.row.status === 'in_appeal' || l.row.status === 'with_external_body' },
  ] as const;
  const placed = new Set<QueueLine>();
  return kinds.map(({ id, byTerm, fits }) => {
    const rows = lines.filter((l) => !(byTerm && placed.has(l)) && fits(l)).sort((a, b) => (dueOn(a) ?? '9999').localeCompare(dueOn(b) ?? '9999'));
    if (byTerm) rows.forEach((l) => placed.add(l));
    return {
      id,
      title: t.groups[id],
      rows: rows.map((l) => ({
        reference: l.row.reference,
        name: l.name ?? '',
        subject: l.subject ?? '',
        procedure: l.row.procedure ?? '',
        // "het schriftelijk standpunt: vrijdag 4 december 2026"; the date alone for a complaint from before 1.4 not moved since.
        next: dueOn(l) ? `${l.row.nextTerm ? `${termLabel(language, l.row.nextTerm, l.route ?? [])}: ` : ''}${dateInWords(language, dueOn(l)!)}` : '',
        handler: l.handlerName ?? l.row.handler ?? t.nobody,
      })),
    };
  });
}

/** A timeline entry's detail in words: the handler by name, the way in from the dossier's own field (the workflow records ids). */
function timelineDetail(entry: Dossier['timeline'][number], dossier: Dossier, t: BackofficeTexts, nameOf: (id: string) => string): string {
  if (entry.event === 'received' && dossier.complaint.channel) return `${t.fields.channel}: ${t.channels[dossier.complaint.channel] ?? dossier.complaint.channel}`;
  if (!entry.detail) return '';
  // Fields and ways of matching in words, not the workflow's ids.
  if (entry.event === 'details-completed') return entry.detail.split(', ').map((field) => t.fields[field as keyof BackofficeTexts['fields']] ?? field).join(', ');
  if (entry.event === 'mail-received' || entry.event === 'auto-reply-received') {
    const [how, other] = entry.detail.split(', ');
    return [t.matchedBy[how ?? ''] ?? how, other ? t.fromOtherAddress : undefined].filter(Boolean).join(', ');
  }
  // A letter by its subject, not the step the workflow files it under.
  if (entry.event === 'letter-ready' || entry.event === 'letter-posted') return dossier.correspondence.find((c) => c.step === entry.detail)?.subject ?? entry.detail;
  return entry.event === 'assigned' ? nameOf(entry.detail) : entry.detail;
}

/** The dossier as the staff page shows it: every date local and in words, every term with its trace. */
export function dossierView(dossier: Dossier, t: BackofficeTexts, language: Language, staff: readonly Pick<StaffMember, 'id' | 'name'>[] = []) {
  // The mailbox files e-mails from other addresses: it says so, not its id.
  const nameOf = (id: string) => (id === 'mailbox' ? t.mailboxActor : (staff.find((m) => m.id === id)?.name ?? id));
  const when = (at?: string) => (at ? instantInWords(language, at, dossier.timezone, 'long') : '');
  const { complaint } = dossier;
  const person = complaint.complainant;
  const files = (list: AttachmentRef[] | undefined) =>
    (list ?? []).map((a) => ({ name: a.name, size: fileSize(a.size, language), ...(a.id ? { href: `/beheer/klachten/${dossier.reference}/bijlagen/${a.id}` } : { refused: t.attachments.refused[a.refused!] }) }));
  const address = person.address ? [person.address.street, `${person.address.postalCode} ${person.address.city}`].filter(Boolean).join(', ') : '';
  // The question to the complainant that holds terms now, if any (suspension).
  const open = openSuspension(dossier);
  const termState = (term: DossierTerm) =>
    [
      term.breachedAt ? t.termBreached(when(term.breachedAt)) : term.metAt ? t.termMet(when(term.metAt)) : term.lapsedAt ? t.termLapsed(when(term.lapsedAt)) : term.extendedTo ? t.termExtended : t.termRunning,
      // A service norm missed is said beside the state: reported, never a breach.
      ...(term.targetMissedAt ? [t.targetMissed(when(term.targetMissedAt))] : []),
    ].join('; ');
  return {
    dossier: {
      reference: dossier.reference,
      procedure: dossier.procedure,
      status: t.statuses[dossier.status] ?? dossier.status,
      outcome: dossier.outcome ? (t.outcomes[dossier.outcome] ?? dossier.outcome) : '',
      handler: dossier.handler ? nameOf(dossier.handler) : t.nobody,
      received: when(dossier.receivedAt),
    },
    complainant: [
      [t.fields.name, person.name],
      [t.fields.email, person.email],
      [t.fields.phone, person.phone],
      [t.fields.address, address],
      [t.fields.type, person.type],
    ].filter(([, value]) => value).map(([label, value]) => ({ label, value })),
    complaint: [
      [t.fields.description, complaint.description],
      [t.fields.category, complaint.category],
      [t.fields.whatHappened, complaint.whatHappened],
      [t.fields.expected, complaint.expected],
      [t.fields.occurredOn, complaint.occurredOn ? dateInWords(language, complaint.occurredOn) : undefined],
      [t.fields.channel, complaint.channel ? (t.channels[complaint.channel] ?? complaint.channel) : undefined],
    ].filter(([, value]) => value).map(([label, value]) => ({ label, value })),
    attachments: files(complaint.attachments),
    terms: (Object.entries(dossier.terms) as [TermName, DossierTerm][]).map(([name, term]) => ({
      name: termLabel(language, name, dossier.route),
      date: dateInWords(language, term.extendedTo ?? term.date),
      state: open?.terms.includes(name) ? `${termState(term)}; ${t.termSuspended(when(open.at), dateInWords(language, open.answerBy))}` : termState(term),
      trace: term.trace,
    })),
    involved: dossier.involved.map((p) => `${p.name}${p.role ? ` (${p.role})` : ''}`),
    timeline: [...dossier.timeline].reverse().map((e) => ({ when: when(e.at), what: t.events[e.event] ?? e.event, who: e.actor === 'complainant' ? t.recipients.complainant : nameOf(e.actor), detail: timelineDetail(e, dossier, t, nameOf), internal: e.internal === true })),
    correspondence: dossier.correspondence.map((c, id) => ({
      when: when(c.sentAt ?? c.at),
      // An e-mail that came in says from whom; one that went, to whom.
      to: c.from ? (c.from.complainant ? t.fromComplainant : t.fromOther(c.from.address ?? '?')) : (t.recipients[c.to] ?? c.to),
      subject: c.subject,
      status: c.automatic ? t.automatic : (t.mailStatuses[c.status] ?? c.status),
      text: c.text ?? '',
      attachments: files(c.attachments),
      // A letter: its page to print.
      letter: c.to === 'complainant' && (c.status === 'to-post' || c.status === 'posted') ? `/beheer/klachten/${dossier.reference}/brieven/${id}${language === 'en' ? '?lang=en' : ''}` : undefined,
    })),
  };
}
