// Reading complaints from IMAP mailboxes (issue 16), as activities of the mailbox workflow: which
// messages are new, waiting for the next (IDLE), and filing one message and moving it to the
// processed folder. Filing is idempotent per Message-ID, so an attempt that ended between filing
// and moving (a worker killed there) files nothing twice when it is tried again.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ImapFlow } from 'imapflow';
import { complaintService } from '../api/complaints';
import { type ImapMailbox, imapAuth } from '../config/imap';
import type { Procedure } from '../domain/procedure';
import type { AttachmentStore } from '../codec/attachments';
import { type MailFiler, mailFiler } from '../mail-in/file';

/** The last message of a folder the workflow has dealt with; a new UIDVALIDITY means the folder was made anew. */
export interface SeenMail {
  uidValidity: string;
  lastUid: number;
}

export interface MailboxDependencies {
  mailboxes: readonly ImapMailbox[];
  procedures: ReadonlyMap<string, Procedure>;
  linkSecret: string;
  attachments: AttachmentStore;
  /** The filer over the worker's Temporal client; tests may hand their own. */
  filerFor?: (client: Client) => MailFiler;
  /** Called between filing a message and moving it (tests end an attempt there, as a killed worker would). */
  beforeMove?: (mailbox: string, uid: number) => Promise<void>;
}

/** Filed and moved out of the way; the rest (not a complaint, a stray out-of-office) stays where it is. */
const filedKinds = new Set(['complaint', 'reply', 'duplicate']);
/** At most this many messages per look: a full inbox is worked through in rounds. */
const batch = 50;

export function createMailboxActivities(deps: MailboxDependencies) {
  const mailboxOf = (id: string): ImapMailbox => {
    const mailbox = deps.mailboxes.find((m) => m.id === id);
    if (!mailbox) throw ApplicationFailure.nonRetryable(`no IMAP mailbox "${id}" in this worker's configuration`, 'UnknownMailbox');
    return mailbox;
  };
  const filerFor = deps.filerFor ?? ((client: Client) => mailFiler({ complaints: complaintService(client, deps.linkSecret), procedures: deps.procedures, attachments: deps.attachments }));

  async function withMailbox<T>(mailbox: ImapMailbox, fn: (imap: ImapFlow) => Promise<T>): Promise<T> {
    const imap = new ImapFlow({ host: mailbox.host, port: mailbox.port, secure: mailbox.secure, auth: imapAuth(mailbox), logger: false, connectionTimeout: 20_000, greetingTimeout: 20_000 });
    await imap.connect();
    try {
      return await fn(imap);
    } finally {
      await imap.logout().catch(() => imap.close());
    }
  }

  return {
    /** The messages after the last one dealt with (at most 50), and whether the server can IDLE. */
    async newMail({ mailbox: id, seen }: { mailbox: string; seen?: SeenMail }): Promise<{ uidValidity: string; uids: number[]; idle: boolean; pollSeconds: number }> {
      const mailbox = mailboxOf(id);
      return withMailbox(mailbox, async (imap) => {
        const box = await imap.mailboxOpen(mailbox.folder, { readOnly: true });
        const uidValidity = String(box.uidValidity);
        const from = seen?.uidValidity === uidValidity ? seen.lastUid + 1 : 1;
        // `n:*` names the last message even when its UID is below n: hence the filter.
        const found = box.exists ? ((await imap.search({ uid: `${from}:*` }, { uid: true })) || []) : [];
        const uids = found.filter((uid) => uid >= from).sort((a, b) => a - b).slice(0, batch);
        return { uidValidity, uids, idle: imap.capabilities.has('IDLE'), pollSeconds: mailbox.pollSeconds };
      });
    },

    /** Waits in IDLE until a message arrives, or at most the mailbox's poll interval; alive to Temporal meanwhile. */
    async waitForMail({ mailbox: id, seen }: { mailbox: string; seen?: SeenMail }): Promise<void> {
      const mailbox = mailboxOf(id);
      const activity = Context.current();
      await withMailbox(mailbox, async (imap) => {
        const arrived = new Promise<void>((resolve) => imap.on('exists', () => resolve()));
        const box = await imap.mailboxOpen(mailbox.folder, { readOnly: true });
        // Something came in between the last look and now: no wait.
        if (seen && String(box.uidValidity) === seen.uidValidity && Number(box.uidNext) > seen.lastUid + 1) return;
        if (!seen && box.exists) return;
        const alive = setInterval(() => activity.heartbeat(), 5_000);
        try {
          await Promise.race([arrived, activity.sleep(mailbox.pollSeconds * 1000), activity.cancelled]);
        } finally {
          clearInterval(alive);
        }
      });
    },

    /**
     * Files one message, received at its INTERNALDATE (when it reached the mailbox), and moves it
     * to the processed folder; one that is gone was moved by an earlier attempt.
     */
    async fileMessage({ mailbox: id, uidValidity, uid }: { mailbox: string; uidValidity: string; uid: number }): Promise<{ filed: string; reference?: string }> {
      const mailbox = mailboxOf(id);
      const procedure = deps.procedures.get(mailbox.procedure)!;
      const file = filerFor(Context.current().client);
      return withMailbox(mailbox, async (imap) => {
        const lock = await imap.getMailboxLock(mailbox.folder);
        try {
          const box = imap.mailbox;
          if (!box || String(box.uidValidity) !== uidValidity) return { filed: 'gone' };
          const message = await imap.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
          if (!message || !message.source) return { filed: 'gone' };
          const arrivedAt = message.internalDate ? new Date(message.internalDate) : new Date();
          const filed = await file(message.source, { recipients: procedure.mailbox?.addresses ?? [], arrivedAt });
          if (filedKinds.has(filed.kind)) {
            await deps.beforeMove?.(id, uid);
            const folders = await imap.list();
            if (!folders.some((f) => f.path === mailbox.processedFolder)) await imap.mailboxCreate(mailbox.processedFolder);
            await imap.messageMove(String(uid), mailbox.processedFolder, { uid: true });
          }
          return { filed: filed.kind, ...('reference' in filed ? { reference: filed.reference } : {}) };
        } finally {
          lock.release();
        }
      });
    },
  };
}

export type MailboxActivities = ReturnType<typeof createMailboxActivities>;
