// The back office's register (issue 15): the API's filters (status, procedure, handler, overdue,
// received between) plus "due before" and a search by reference, 50 lines a page, and the CSV of
// everything that matches. A whole reference opens its dossier at once.
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { StaffMember } from '../../config/staff';
import { dateInWords, localDateOf } from '../../domain/local-date';
import { referencePattern } from '../../domain/reference';
import { complaintStatuses } from '../../domain/vocabulary';
import type { AppDependencies } from '../app';
import { HttpProblem } from '../problem';
import { type RegisterFilter, registerCsv, registerPage } from '../register';
import { formValues } from '../pages/intake-form';
import type { PageKit } from './routes';
import { backofficeTexts, type BackofficeTexts } from './texts';

const pageSize = 50;
const date = z.union([z.literal(''), z.iso.date().refine((d) => d >= '1970-01-01')]).optional();

/** The page's query, as the form sends it: every field optional, an empty field no filter. */
const querySchema = z.object({
  kenmerk: z.string().trim().toUpperCase().regex(/^$|^[A-Z0-9-]{2,14}$/).optional(),
  status: z.union([z.literal(''), z.enum(complaintStatuses)]).optional(),
  procedure: z.string().optional(),
  behandelaar: z.string().optional(),
  achterstallig: z.union([z.literal(''), z.literal('ja')]).optional(),
  ontvangenVanaf: date,
  ontvangenTot: date,
  termijnVoor: date,
  pagina: z.string().max(4200).optional(),
  /** Lines a page (not in the form: a link may carry it). */
  aantal: z.union([z.literal(''), z.coerce.number().int().min(1).max(200)]).optional(),
});
type Query = z.infer<typeof querySchema>;
const fields = ['kenmerk', 'status', 'procedure', 'behandelaar', 'achterstallig', 'ontvangenVanaf', 'ontvangenTot', 'termijnVoor', 'aantal'] as const;

export function registerRoutes(router: Router, deps: AppDependencies, kit: PageKit): void {
  const zoneOf = (id: string | undefined) => (id ? deps.procedures.get(id)?.timezone : undefined) ?? 'Europe/Amsterdam';

  /** The asked filter, or the Dutch error of each field that is not one. */
  const filterOf = (req: Request, t: BackofficeTexts) => {
    const raw = formValues(req.query);
    const errors: Record<string, string> = {};
    const messages = t.register.errors as Record<string, string>;
    // Field by field: one wrong value is said next to its field, and the others are still checked.
    const query: Query = {};
    for (const [name, schema] of Object.entries(querySchema.shape)) {
      const parsed = (schema as z.ZodType).safeParse(raw[name]);
      if (parsed.success) Object.assign(query, { [name]: parsed.data });
      else errors[name] = messages[name] ?? t.register.errors.pagina;
    }
    if (query.procedure && !deps.procedures.has(query.procedure)) errors.procedure = t.register.errors.procedure;
    if (query.behandelaar && !deps.staff.some((m) => m.id === query.behandelaar)) errors.behandelaar = t.register.errors.behandelaar;
    if (query.ontvangenVanaf && query.ontvangenTot && query.ontvangenTot < query.ontvangenVanaf) errors.ontvangenTot = t.register.errors.order;
    const filter: RegisterFilter = {
      pageSize: typeof query.aantal === 'number' ? query.aantal : pageSize,
      ...(query.status ? { status: query.status } : {}),
      ...(query.procedure && !errors.procedure ? { procedure: query.procedure } : {}),
      ...(query.behandelaar && !errors.behandelaar ? { handler: query.behandelaar } : {}),
      ...(query.achterstallig === 'ja' ? { overdue: 'true' as const } : {}),
      ...(query.ontvangenVanaf ? { receivedFrom: query.ontvangenVanaf } : {}),
      ...(query.ontvangenTot ? { receivedTo: query.ontvangenTot } : {}),
      ...(query.termijnVoor ? { dueBefore: query.termijnVoor } : {}),
      ...(query.kenmerk ? { referencePrefix: query.kenmerk } : {}),
    };
    const values = Object.fromEntries(fields.map((f) => [f, raw[f] ?? '']));
    return { filter, errors, values, query, page: query.pagina };
  };

  router.get('/beheer/klachten', kit.signedIn, async (req, res) => {
    const member = res.locals.staff as StaffMember;
    const language = kit.languageOf(req);
    const t = backofficeTexts(language);
    const { filter, errors, values, query, page } = filterOf(req, t);
    // A whole reference: its dossier, at once.
    if (query.kenmerk && referencePattern.test(query.kenmerk) && !Object.keys(errors).length) {
      return res.redirect(303, `/beheer/klachten/${query.kenmerk}${language === 'en' ? '?lang=en' : ''}`);
    }
    const filterQuery = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== ''));
    if (language === 'en') filterQuery.set('lang', 'en');
    let listed: Awaited<ReturnType<typeof registerPage>> = { complaints: [] };
    if (!Object.keys(errors).length) {
      try {
        listed = await registerPage(deps.client, deps.linkSecret, { ...filter, ...(page ? { pageToken: page } : {}) });
      } catch (err) {
        if (err instanceof HttpProblem && err.problem.status === 400) errors.pagina = t.register.errors.pagina;
        else if (await kit.unavailable(req, res, err)) return;
        else throw err;
      }
    }
    const nameOf = (id?: string) => (id ? (deps.staff.find((m) => m.id === id)?.name ?? id) : t.nobody);
    const day = (instant: string | undefined, procedure: string | undefined) => (instant ? dateInWords(language, localDateOf(new Date(instant), zoneOf(procedure))) : '');
    const next = listed.nextPageToken ? new URLSearchParams(filterQuery) : undefined;
    next?.set('pagina', listed.nextPageToken!);
    const option = (value: string, label: string, chosen: string) => ({ value, label, selected: value === chosen });
    await kit.render(
      req,
      res,
      Object.keys(errors).length ? 400 : 200,
      'register',
      {
        title: t.registerTitle,
        r: t.register,
        values,
        errors,
        statuses: complaintStatuses.map((s) => option(s, t.statuses[s] ?? s, values.status!)),
        procedures: [...deps.procedures.keys()].map((id) => option(id, id, values.procedure!)),
        handlers: deps.staff.map((m) => option(m.id, m.name, values.behandelaar!)),
        rows: listed.complaints.map((row) => ({
          reference: row.reference,
          name: row.complainant?.name ?? '',
          subject: row.subject ?? '',
          procedure: row.procedure ?? '',
          status: row.status ? (t.statuses[row.status] ?? row.status) : '',
          received: day(row.receivedAt, row.procedure),
          next: row.status === 'closed' ? '' : day(row.nextDeadline, row.procedure),
          overdue: row.overdue === true,
          handler: nameOf(row.handler),
          closed: day(row.closedAt, row.procedure),
        })),
        csv: `/beheer/klachten.csv${filterQuery.size ? `?${filterQuery.toString()}` : ''}`,
        next: next ? `/beheer/klachten?${next.toString()}` : undefined,
        first: page ? `/beheer/klachten${filterQuery.size ? `?${filterQuery.toString()}` : ''}` : undefined,
      },
      member,
    );
  });

  router.get('/beheer/klachten.csv', kit.signedIn, async (req, res) => {
    const language = kit.languageOf(req);
    const t = backofficeTexts(language);
    const { filter, errors } = filterOf(req, t);
    if (Object.keys(errors).length) return kit.message(req, res, 400, t.registerTitle, Object.values(errors).join(' '));
    try {
      const csv = await registerCsv(deps.client, deps.linkSecret, deps.complaints, filter, zoneOf);
      res.type('text/csv; charset=utf-8').set('Cache-Control', 'no-store').attachment(`klachtenregister-${new Date().toISOString().slice(0, 10)}.csv`).send(csv);
    } catch (err) {
      if (!(await kit.unavailable(req, res, err))) throw err;
    }
  });
}
