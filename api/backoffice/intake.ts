// A complaint received by phone, letter, e-mail or in person, registered by staff (issue 15): the
// procedure's own intake fields (the complainant's form, in staff's words), how it came in and
// the moment it did, local time. Its terms run from that moment; the receipt goes out at once.
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import type { StaffMember } from '../../config/staff';
import { localDateOf } from '../../domain/local-date';
import type { Procedure } from '../../domain/procedure';
import { instantOfWallClock, wallClockOf } from '../../domain/zoned-time';
import type { AppDependencies } from '../app';
import { formValues, intakeFields, readIntakeForm, submissionOf, type Values } from '../pages/intake-form';
import { textsFor } from '../pages/texts';
import type { PageKit } from './routes';
import { backofficeTexts } from './texts';

const channels = ['phone', 'letter', 'in-person', 'email'] as const;
type Channel = (typeof channels)[number];

export function intakeRoutes(router: Router, deps: AppDependencies, kit: PageKit, csrf: (req: Request, res: Response, next: () => void) => void): void {
  /** The complainant form's texts, its labels and messages in the third person. */
  const staffWords = (req: Request) => {
    const language = kit.languageOf(req);
    const base = textsFor(language);
    const words = backofficeTexts(language).intake;
    return { ...base, fields: { ...base.fields, ...words.fields }, errors: { ...base.errors, missing: { ...base.errors.missing, ...words.missing } } };
  };

  const page = async (req: Request, res: Response, status: number, procedure: Procedure | undefined, values: Values, errors: Record<string, string>) => {
    const language = kit.languageOf(req);
    const t = backofficeTexts(language);
    const words = staffWords(req);
    const now = wallClockOf(new Date(), procedure?.timezone ?? 'Europe/Amsterdam');
    // Without an e-mail address the complainant's mail becomes letters: staff read that beside the field.
    const fields = (procedure ? intakeFields(procedure, words, values, errors, 'staff') : []).map((f) => (f.id === 'email' ? { ...f, hint: t.intake.byPostHint } : f));
    const firstError = ['channel', 'receivedAt', ...fields.map((f) => f.id)].find((id) => errors[id]);
    await kit.render(
      req,
      res,
      status,
      'intake',
      {
        title: t.intake.title,
        i: t.intake,
        procedure: procedure?.id,
        procedures: [...deps.procedures.values()].map((p) => ({ value: p.id, label: `${p.organisation} (${p.id})`, selected: p.id === procedure?.id })),
        channels: channels.map((c) => ({ value: c, label: t.channels[c] ?? c, checked: (values.channel || 'phone') === c })),
        receivedAt: values.receivedAt ?? now,
        now,
        fields,
        errors,
        firstError,
        required: words.required,
        submission: submissionOf(values) ?? randomUUID(),
      },
      res.locals.staff as StaffMember,
    );
  };

  const procedureOf = (req: Request) => (typeof req.query.procedure === 'string' ? deps.procedures.get(req.query.procedure) : undefined);

  router.get('/beheer/klachten/nieuw', kit.signedIn, async (req, res) => {
    const procedure = procedureOf(req);
    const t = backofficeTexts(kit.languageOf(req));
    const errors: Record<string, string> = req.query.procedure !== undefined && !procedure ? { procedure: t.intake.procedureMissing } : {};
    await page(req, res, Object.keys(errors).length ? 400 : 200, procedure, {}, errors);
  });

  router.post('/beheer/klachten/nieuw', kit.signedIn, csrf, async (req, res) => {
    const member = res.locals.staff as StaffMember;
    const language = kit.languageOf(req);
    const t = backofficeTexts(language);
    const procedure = procedureOf(req);
    const values = formValues(req.body);
    if (!procedure) return page(req, res, 400, undefined, values, { procedure: t.intake.procedureMissing });
    const now = new Date();
    const errors: Record<string, string> = {};
    const channel: Channel | undefined = channels.find((c) => c === values.channel);
    if (!channel) errors.channel = t.intake.channelMissing;
    const receivedAt = values.receivedAt ? instantOfWallClock(values.receivedAt, procedure.timezone) : undefined;
    if (!receivedAt) errors.receivedAt = t.intake.receivedAtMissing;
    else if (Date.parse(receivedAt) > now.getTime()) errors.receivedAt = t.intake.receivedAtFuture;
    const read = readIntakeForm(procedure, values, procedure.language, staffWords(req), localDateOf(receivedAt ? new Date(receivedAt) : now, procedure.timezone), 'staff');
    Object.assign(errors, read.errors);
    if (!read.intake || Object.keys(errors).length) return page(req, res, 400, procedure, values, errors);
    const { language: complainantLanguage, ...rest } = read.intake;
    const submission = submissionOf(values);
    let reference: string;
    try {
      reference = await deps.complaints.start({ ...rest, language: complainantLanguage ?? procedure.language, receivedAt: receivedAt!, channel: channel!, registeredBy: member.id }, submission);
    } catch (err) {
      if (!(await kit.unavailable(req, res, err, 'act'))) throw err;
      return;
    }
    deps.logger.info({ staff: member.id, reference, channel }, 'complaint registered in the back office');
    res.redirect(303, `/beheer/klachten/${reference}?nieuw=1${language === 'en' ? '&lang=en' : ''}`);
  });
}
