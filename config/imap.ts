// The IMAP mailboxes klachtflow reads complaints from (issue 16): a YAML list in
// KLACHTFLOW_IMAP_FILE, each with the procedure it serves. Which messages there are complaints is
// the procedure's own rule (its `mailbox` in the procedure file).
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { parse } from 'yaml';
import { z } from 'zod';
import { taskQueue } from '../domain/messages';
import type { mailboxWorkflow } from '../workflows/mailbox';
import type { ProcedureRegistry } from './procedures';

export const imapMailboxSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/, 'a mailbox id is lower-case letters, digits and dashes'),
    procedure: z.string().min(1),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(993),
    /** TLS from the start (993); false for STARTTLS or a plain local server (143). */
    secure: z.boolean().default(true),
    user: z.string().min(1),
    /** The password, or the name of the environment variable that holds it (kept out of the file). */
    password: z.string().min(1).optional(),
    passwordEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name such as BABBAGE_IMAP_PASSWORD').optional(),
    /** A file holding a current OAuth2 access token (Microsoft 365, Google Workspace), read at each connection, instead of a password. */
    accessTokenFile: z.string().min(1).optional(),
    folder: z.string().min(1).default('INBOX'),
    /** Where a filed message is moved to; made when missing. */
    processedFolder: z.string().min(1).default('Verwerkt'),
    /** How often to look where the server has no IDLE, and the longest IDLE before looking anyway. */
    pollSeconds: z.number().int().min(5).max(3600).default(60),
  })
  .refine((m) => [m.password, m.passwordEnv, m.accessTokenFile].filter(Boolean).length === 1, { message: 'give one of password, passwordEnv or accessTokenFile' });
export type ImapMailbox = z.infer<typeof imapMailboxSchema>;

/** The mailboxes of the file, checked against the procedures: each names one that has a `mailbox` rule. */
export function loadImapMailboxes(path: string | undefined, procedures: ProcedureRegistry): ImapMailbox[] {
  if (!path) return [];
  const result = z.array(imapMailboxSchema).safeParse(parse(readFileSync(path, 'utf8')));
  if (!result.success) throw new Error(`${path}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const problems = result.data.flatMap((m, i) => {
    const procedure = procedures.get(m.procedure);
    if (!procedure) return [`${i}.procedure: no procedure "${m.procedure}"`];
    return procedure.mailbox ? [] : [`${i}.procedure: procedure "${m.procedure}" has no mailbox rule (mailbox.addresses in its file)`];
  });
  const ids = result.data.map((m) => m.id);
  if (new Set(ids).size !== ids.length) problems.push('id: each mailbox id once');
  if (problems.length) throw new Error(`${path}: ${problems.join('; ')}`);
  return result.data;
}

/** The login of a mailbox: its password or access token, from the file or the environment. */
export function imapAuth(mailbox: ImapMailbox, env: NodeJS.ProcessEnv = process.env): { user: string; pass: string } | { user: string; accessToken: string } {
  // Read anew at each connection: whatever refreshes the token (it lasts an hour) writes the file.
  if (mailbox.accessTokenFile) return { user: mailbox.user, accessToken: readFileSync(mailbox.accessTokenFile, 'utf8').trim() };
  return { user: mailbox.user, pass: mailbox.password ?? required(env, mailbox.passwordEnv!) };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`the environment variable ${name} is empty`);
  return value;
}

/** Starts the reading of each mailbox (workflow `mailbox-<id>`), once: a reading that runs is left as it is. */
export async function ensureMailboxReaders(client: Client, mailboxes: readonly ImapMailbox[]): Promise<string[]> {
  const started: string[] = [];
  for (const mailbox of mailboxes) {
    const workflowId = `mailbox-${mailbox.id}`;
    await client.workflow.start<typeof mailboxWorkflow>('mailboxWorkflow', {
      taskQueue,
      workflowId,
      args: [{ mailbox: mailbox.id }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `IMAP ${mailbox.id} → ${mailbox.procedure}`,
    });
    started.push(workflowId);
  }
  return started;
}
