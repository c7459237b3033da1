import { Router } from 'express';
import type { z } from 'zod';
import type { StaffMember } from '../../config/staff';
import { staffIntakeSchema } from '../../domain/complaint';
import { dossierUrl } from '../../domain/link-token';
import { localDateOf } from '../../domain/local-date';
import type { AppDependencies } from '../app';
import { requireRole, staffAuth, staffOf } from '../auth';
import { idempotencyKeyOf, parseBody, referenceOf } from '../http';
import { intakeErrors, procedureOrProblem } from '../intake';
import { type FieldError, fieldProblem } from '../problem';
import { registerCsv, registerPage, registerWithDossiers } from '../register';
import { registerQuerySchema, reportQuerySchema, staffActions } from '../schemas';
import { analyse, parsePeriod } from '../../domain/analysis';
import { calendarCache } from '../../domain/calendar';

/** Rules of a staff action that need no complaint to check; the workflow's validator checks the rest (409). */
const actionRules: Record<string, (body: Record<string, unknown>, staff: readonly StaffMember[], now: Date) => FieldError[]> = {
  assign: ({ handler }, staff) =>
    staff.some((m) => m.id === handler) ? [] : [{ field: 'handler', rule: `no staff member "${String(handler)}" in the staff file` }],
  'schedule-hearing': ({ at }, _staff, now) => (Date.parse(String(at)) <= now.getTime() ? [{ field: 'at', rule: 'lies in the past; choose a time ahead' }] : []),
  'extend-term': ({ newDate }, _staff, now) =>
    String(newDate) < localDateOf(now, 'Europe/Amsterdam') ? [{ field: 'newDate', rule: 'lies in the past' }] : [],
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
    const csv = await registerCsv(deps.client, deps.linkSecret, deps.complaints, registerQuery(req.query));
    res.type('text/csv; charset=utf-8').attachment(`klachtenregister-${new Date().toISOString().slice(0, 10)}.csv`).send(csv);
  });

  // The analysis of a quarter or a year (SPEC §4.1), of the complaints received in it.
  const calendars = calendarCache();
  router.get('/api/admin/reports/:period', requireRole(['manager', 'director'], 'read reports'), async (req, res) => {
    const period = parsePeriod(String(req.params.period));
    if (!period) {
      throw fieldProblem(400, [{ field: 'period', rule: 'a quarter such as 2026-Q2 or a year such as 2026 (from 1970)' }]);
    }
    const { procedure } = parseBody(reportQuerySchema, req.query);
    const filter = { pageSize: 500, receivedFrom: period.from, receivedTo: period.to, ...(procedure ? { procedure } : {}) };
    const { dossiers } = await registerWithDossiers(deps.client, deps.linkSecret, deps.complaints, filter);
    const readable = dossiers.filter((d): d is NonNullable<typeof d> => d !== undefined);
    res.json(
      analyse(period, readable, (id) => {
        const found = deps.procedures.get(id);
        if (!found) throw new Error(`complaint of unknown procedure ${id}`);
        return { calendar: calendars(found), timezone: found.timezone };
      }),
    );
  });

  router.get('/api/admin/complaints/:reference', async (req, res) => {
    res.json(await deps.complaints.dossier(referenceOf(req), 'staff'));
  });

  for (const [path, action] of Object.entries(staffActions)) {
    router.post(`/api/admin/complaints/:reference/${path}`, requireRole(action.roles, path.replace(/-/g, ' ')), async (req, res) => {
      const reference = referenceOf(req);
      const body = parseBody(action.body as z.ZodType<Record<string, unknown>>, req.body);
      const errors = actionRules[path]?.(body, deps.staff, new Date()) ?? [];
      if (errors.length) throw fieldProblem(422, errors);
      res.json(await deps.complaints.update(reference, action.update, { ...body, by: staffOf(res).id }, idempotencyKeyOf(req)));
    });
  }
  return router;
}
