import nodemailer from 'nodemailer';
import { createDeadlineActivities } from '../activities/deadlines';
import { createAttachmentActivities } from '../activities/attachments';
import { createDestructionActivities } from '../activities/destructions';
import type { AttachmentStore } from '../codec/attachments';
import { createEmailActivities, smtpTimeouts } from '../activities/email';
import { createMailboxActivities, type MailboxDependencies } from '../activities/mailboxes';
import type { ImapMailbox } from '../config/imap';
import { openSentLedger } from '../activities/sent-ledger';
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
  /** The SQLite file of e-mails the relay took (`<KLACHTFLOW_DATA_DIR>/sent-mail.db`; `:memory:` in tests). */
  sentLedgerFile: string;
  /** The attachments of e-mails that came in: filed by the mailbox readers, destroyed with their dossiers. */
  attachments: AttachmentStore;
  /** The IMAP mailboxes complaints are read from (KLACHTFLOW_IMAP_FILE); none where absent. */
  imapMailboxes?: readonly ImapMailbox[];
  /** Tests only: the moment between filing a message and moving it. */
  beforeMove?: MailboxDependencies['beforeMove'];
}

/** Every activity the workflows call, wired to real dependencies. */
export function createActivities(settings: ActivitySettings) {
  const transport = nodemailer.createTransport({ url: settings.smtpUrl, ...smtpTimeouts });
  return {
    ...createDeadlineActivities({ procedures: settings.procedures, namespaceRetentionMs: settings.namespaceRetentionMs }),
    ...createDestructionActivities(),
    ...createAttachmentActivities({ store: settings.attachments }),
    ...createMailboxActivities({
      mailboxes: settings.imapMailboxes ?? [],
      procedures: settings.procedures,
      linkSecret: settings.linkSecret,
      attachments: settings.attachments,
      ...(settings.beforeMove ? { beforeMove: settings.beforeMove } : {}),
    }),
    ...createEmailActivities({
      transport,
      templates: createEmailTemplates(),
      procedures: settings.procedures,
      mailFrom: settings.mailFrom,
      publicBaseUrl: settings.publicBaseUrl,
      linkSecret: settings.linkSecret,
      staff: settings.staff,
      ledger: openSentLedger(settings.sentLedgerFile),
    }),
  };
}
