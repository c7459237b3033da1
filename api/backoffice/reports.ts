// The back office's reports (issue 15): a quarter or a year, one procedure or all, this period
// beside the one before, the charts drawn on the server, the figures and the closed complaints as
// CSV. For managers and directors, as `GET /api/admin/reports/:period`, whose numbers these are.
import type { Request, Response, Router } from 'express';
import { excelCsv } from '../../domain/excel-csv';
import { organisationTimezone } from '../../config/procedures';
import type { StaffMember } from '../../config/staff';
import { type PeriodReport, reportReader } from '../../activities/reports';
import { parsePeriod, periodChoices, periodHolding, type ReportPeriod } from '../../domain/analysis';
import { localDateOf } from '../../domain/local-date';
import { periodInWords, reportCsvRows, reportWords, termColumns } from '../../domain/report-view';
import { decides, type Language } from '../../domain/vocabulary';
import type { AppDependencies } from '../app';
import type { PageKit } from './routes';
import { backofficeTexts } from './texts';


export function reportRoutes(router: Router, deps: AppDependencies, kit: PageKit): void {
  const reader = reportReader(deps);
  const organisationZone = organisationTimezone(deps.procedures);

  /** The asked period and procedure, each with its Dutch error; the defaults: this quarter (or year, for a yearly procedure). */
  const askedOf = (req: Request) => {
    const t = backofficeTexts(kit.languageOf(req)).reports;
    const errors: Record<string, string> = {};
    const procedureValue = typeof req.query.procedure === 'string' ? req.query.procedure : '';
    const procedure = procedureValue ? deps.procedures.get(procedureValue) : undefined;
    if (procedureValue && !procedure) errors.procedure = t.procedureInvalid;
    const today = localDateOf(new Date(), procedure?.timezone ?? organisationZone);
    const periodValue = typeof req.query.periode === 'string' ? req.query.periode.trim() : '';
    let period: ReportPeriod | undefined = periodValue ? parsePeriod(periodValue) : periodHolding(today, procedure?.rules.analysis ?? 'quarterly');
    if (!period) {
      errors.periode = t.periodInvalid;
      period = periodHolding(today, 'quarterly');
    }
    return { period, procedure: procedure?.id, periodValue: periodValue || period.label, procedureValue, errors, today };
  };

  /** Reads the report; a Temporal that does not answer is said on a page (503), and undefined returned. */
  const reportOr = async (req: Request, res: Response, language: Language, period: ReportPeriod, procedure?: string): Promise<PeriodReport | undefined> => {
    try {
      return await reader.report(language, period, procedure);
    } catch (err) {
      if (!(await kit.unavailable(req, res, err))) throw err;
      return undefined;
    }
  };

  const allowed = async (req: Request, res: Response): Promise<boolean> => {
    if (decides((res.locals.staff as StaffMember).roles)) return true;
    const t = backofficeTexts(kit.languageOf(req)).reports;
    await kit.render(req, res, 403, 'message', { title: t.forbiddenTitle, text: t.forbiddenText }, res.locals.staff as StaffMember);
    return false;
  };

  router.get('/beheer/rapportages', kit.signedIn, async (req, res) => {
    if (!(await allowed(req, res))) return;
    const language = kit.languageOf(req);
    const t = backofficeTexts(language);
    const asked = askedOf(req);
    const report = await reportOr(req, res, language, asked.period, asked.procedure);
    if (!report) return;
    const words = reportWords(language);
    const query = new URLSearchParams({ periode: asked.period.label, ...(asked.procedure ? { procedure: asked.procedure } : {}), ...(language === 'en' ? { lang: 'en' } : {}) });
    const outcome = (key: string) => words.outcomes[key] ?? key;
    await kit.render(
      req,
      res,
      Object.keys(asked.errors).length ? 400 : 200,
      'reports',
      {
        title: `${t.reports.title} ${asked.period.label}${asked.procedure ? ` · ${asked.procedure}` : ''}`,
        r: t.reports,
        words,
        asked,
        intro: t.reports.intro(report.view.period.words, report.view.previous.words),
        periods: periodChoices(asked.today).map((p) => ({ value: p.label, label: periodInWords(language, p), selected: p.label === asked.period.label })),
        procedures: [...deps.procedures.values()].map((p) => ({ value: p.id, label: p.id, selected: p.id === asked.procedure })),
        report: {
          ...report.view,
          charts: report.charts,
          closed: report.closed.map((line) => ({ ...line, outcome: outcome(line.outcome) })),
        },
        termColumns: termColumns.map((key) => ({ key, label: words.termColumns[key] })),
        csv: `/beheer/rapportages.csv?${query.toString()}`,
        closedCsv: `/beheer/rapportages.csv?${query.toString()}&deel=afgesloten`,
        registerLink: `/beheer/klachten?${new URLSearchParams({ ontvangenVanaf: asked.period.from, ontvangenTot: asked.period.to, ...(asked.procedure ? { procedure: asked.procedure } : {}) }).toString()}`,
      },
      res.locals.staff as StaffMember,
    );
  });

  router.get('/beheer/rapportages.csv', kit.signedIn, async (req, res) => {
    if (!(await allowed(req, res))) return;
    const language = kit.languageOf(req);
    const asked = askedOf(req);
    if (Object.keys(asked.errors).length) {
      return kit.message(req, res, 400, backofficeTexts(language).reports.title, Object.values(asked.errors).join(' '));
    }
    const report = await reportOr(req, res, language, asked.period, asked.procedure);
    if (!report) return;
    const name = `rapportage-${asked.period.label}${asked.procedure ? `-${asked.procedure}` : ''}`;
    if (req.query.deel === 'afgesloten') {
      const columns = backofficeTexts(language).reports.closedColumns;
      const words = reportWords(language);
      const header = [columns.reference, columns.procedure, columns.received, columns.closed, columns.outcome, columns.category, columns.subject, columns.solution, backofficeTexts(language).reports.cause, backofficeTexts(language).reports.measures, columns.breached];
      const rows = report.closed.map((l) => [l.reference, l.procedure, l.received, l.closed, words.outcomes[l.outcome] ?? l.outcome, l.category, l.subject, l.solution, l.cause, l.measures, l.breached]);
      return void res.type('text/csv; charset=utf-8').set('Cache-Control', 'no-store').attachment(`${name}-afgesloten.csv`).send(excelCsv([header, ...rows]));
    }
    res.type('text/csv; charset=utf-8').set('Cache-Control', 'no-store').attachment(`${name}.csv`).send(excelCsv(reportCsvRows(language, report.view)));
  });
}
