import nodemailer from 'nodemailer';
import { createDeadlineActivities } from '../activities/deadlines';
import { createEmailActivities } from '../activities/email';
import { createEmailTemplates } from '../activities/templates';
import type { ProcedureRegistry } from '../config/procedures';
import type { StaffMember } from '../config/staff';

export interface ActivitySettings {
  smtpUrl: string;
  mailFrom: string;
  publicBaseUrl: string;
  linkSecret: string;
  procedures: ProcedureRegistry;
  staff: readonly StaffMember[];
  namespaceRetentionMs: number;
}

/** Every activity the complaint workflow calls, wired to real dependencies. */
export function createActivities(settings: ActivitySettings) {
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    ...createDeadlineActivities({ procedures: settings.procedures, namespaceRetentionMs: settings.namespaceRetentionMs }),
    ...createEmailActivities({
      transport,
      templates: createEmailTemplates(),
      procedures: settings.procedures,
      mailFrom: settings.mailFrom,
      publicBaseUrl: settings.publicBaseUrl,
      linkSecret: settings.linkSecret,
      staff: settings.staff,
    }),
  };
}
