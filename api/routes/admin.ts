import { Router } from 'express';
import type { z } from 'zod';
import type { StaffMember } from '../../config/staff';
import { type ActionName, actionNames, audienceOf, bodySchema, pathOf, rolesOf } from '../../domain/actions';
import { staffIntakeSchema } from '../../domain/complaint';
import { dossierUrl } from '../../domain/link-token';
import { localDateOf } from '../../domain/local-date';
import type { AppDependencies } from '../app';
import { requireRole, staffAuth, staffOf } from '../auth';
import { answerAction, idempotencyKeyOf, parseBody, referenceOf } from '../http';
import { intakeErrors, procedureOrProblem } from '../intake';
import { type FieldError, fieldProblem } from '../problem';
import { requestLanguage } from '../refusals';
import { registerCsv, registerPage } from '../register';
import { destructionQuerySchema, registerQuerySchema, reportQuerySchema } from '../schemas';
import { destructionsIn } from '../../activities/destructions';
import { organisationTimezone } from '../../config/procedures';
import { monthBefore } from '../../domain/destruction';
import { destructionCsv, destructionRows } from '../../domain/destruction-statement';
import { problemOf, temporalDeadlineMs } from '../complaints';
import { parsePeriod } from '../../domain/analysis';
import { reportReader } from '../../activities/reports';
import { sendAttachment } from '../attachments';

/** What only the API knows: the staff file. Every other rule is the action's guard (domain/actions). */
const staffRules: Partial<Record<ActionName, (body: Record<string, unknown>, staff: readonly StaffMember[]) => FieldError[]>> = {
  assign: ({ handler }, staff) =>
    staff.some((m) => m.id === handler) ? [] : [{ field: 'handler', rule: `no staff member "${String(handler)}" in the staff file` }],
};

/** Staff: register complaints received by phone or in person, the register, dossiers and every staff action. */
export function adminRoutes(deps: AppDependencies): Router {
  const router = Router();
  router.use('/api/admin', staffAuth(deps.staff));

  router.post('/api/admin/complaints', async (req, res) => {
    const intake = parseBody(staffIntakeSchema, req.body);
    const procedure = procedureOrProblem(deps.procedures, intake.procedure);
    const now = new Date();
    const errors = intakeErrors(procedure, intake, localDateOf(now, procedure.timezone));
    if (errors.length) throw fieldProblem(400, errors);
    const receivedAt = new Date(intake.receivedAt);
    if (receivedAt.getTime() > now.getTime()) throw fieldProblem(422, [{ field: 'receivedAt', rule: 'lies in the future; give the moment the complaint came in' }]);
    const { language, ...rest } = intake;
    const reference = await deps.complaints.start(
      { ...rest, language: language ?? procedure.language, receivedAt: receivedAt.toISOString(), registeredBy: staffOf(res).id },
      idempotencyKeyOf(req),
    );
    res.status(201).location(`/api/admin/complaints/${reference}`).json({
      reference,
      dossierUrl: dossierUrl(deps.publicBaseUrl, deps.linkSecret, reference, receivedAt),
    });
  });

  const registerQuery = (query: unknown) => parseBody(registerQuerySchema, query);
  router.get('/api/admin/complaints', async (req, res) => {
    res.json(await registerPage(deps.client, deps.linkSecret, registerQuery(req.query)));
  });
  router.get('/api/admin/complaints.csv', async (req, res) => {
    const timezoneOf = (id: string | undefined) => (id ? deps.procedures.get(id)?.timezone : undefined) ?? 'Europe/Amsterdam';
    const csv = await registerCsv(deps.client, deps.linkSecret, deps.complaints, registerQuery(req.query), timezoneOf);
    res.type('text/csv; charset=utf-8').attachment(`klachtenregister-${new Date().toISOString().slice(0, 10)}.csv`).send(csv);
  });

  // The analysis of a quarter or a year (SPEC §4.1), of the complaints received in it.
  const reports = reportReader(deps);
  router.get('/api/admin/reports/:period', requireRole(['manager', 'director'], 'read reports'), async (req, res) => {
    const period = parsePeriod(String(req.params.period));
    if (!period) {
      throw fieldProblem(400, [{ field: 'period', rule: 'a quarter such as 2026-Q2 or a year such as 2026 (from 1970)' }]);
    }
    const { procedure } = parseBody(reportQuerySchema, req.query);
    res.json(await reports.analysis(period, procedure));
  });

  // The destruction statement of a month: the monthly e-mail's list, for the month before this one unless asked.
  const destructions = async (query: unknown) => {
    const asked = parseBody(destructionQuerySchema, query).month;
    const month = asked ?? monthBefore(new Date(), organisationTimezone(deps.procedures));
    const timezoneOf = (id: string) => deps.procedures.get(id)?.timezone ?? 'Europe/Amsterdam';
    try {
      const entries = await deps.client.connection.withDeadline(Date.now() + temporalDeadlineMs, () => destructionsIn(deps.client, month));
      return { month, rows: destructionRows(entries, timezoneOf) };
    } catch (err) {
      throw problemOf(err, 'destructions') ?? err;
    }
  };
  const statementReaders = requireRole(['manager', 'director'], 'read the destruction statement');
  router.get('/api/admin/destructions', statementReaders, async (req, res) => {
    const { month, rows } = await destructions(req.query);
    res.json({ month, destructions: rows });
  });
  router.get('/api/admin/destructions.csv', statementReaders, async (req, res) => {
    const { month, rows } = await destructions(req.query);
    res.type('text/csv; charset=utf-8').attachment(`vernietigd-${month}.csv`).send(destructionCsv(rows));
  });

  router.get('/api/admin/complaints/:reference', async (req, res) => {
    res.json(await deps.complaints.dossier(referenceOf(req), 'staff'));
  });

  router.get('/api/admin/complaints/:reference/attachments/:id', async (req, res) => {
    await sendAttachment(res, deps.attachments, await deps.complaints.dossier(referenceOf(req), 'staff'), String(req.params.id));
  });

  // A request of access (AVG/GDPR art. 15): the whole dossier as one file, and on record who took it.
  router.get('/api/admin/complaints/:reference/export', requireRole(['manager', 'director'], 'export a dossier for a request of access'), async (req, res) => {
    const reference = referenceOf(req);
    const dossier = await deps.complaints.dossier(reference, 'staff');
    const exportedAt = new Date().toISOString();
    deps.logger.info({ reference, staff: staffOf(res).id }, 'dossier exported for a request of access');
    res
      .attachment(`klacht-${reference}-inzage-${exportedAt.slice(0, 10)}.json`)
      .json({ purpose: 'request of access (AVG art. 15)', reference, exportedAt, exportedBy: staffOf(res).id, dossier });
  });

  for (const name of actionNames.filter((n) => audienceOf(n) === 'staff')) {
    const path = pathOf(name);
    router.post(`/api/admin/complaints/:reference/${path}`, requireRole(rolesOf(name), path.replace(/-/g, ' ')), async (req, res) => {
      const reference = referenceOf(req);
      const input = parseBody(bodySchema(name) as z.ZodType, req.body) as Record<string, unknown>;
      const errors = staffRules[name]?.(input, deps.staff) ?? [];
      if (errors.length) throw fieldProblem(422, errors);
      const { id, roles } = staffOf(res);
      const options = { idempotencyKey: idempotencyKeyOf(req), view: 'staff' as const, language: requestLanguage(req) };
      answerAction(res, await deps.complaints.act(reference, name, { actor: { kind: 'staff', id, roles }, input }, options), `/api/admin/complaints/${reference}`);
    });
  }
  return router;
}
