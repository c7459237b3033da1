// `npm start`: the whole stack on one machine — Temporal dev server (unless TEMPORAL_ADDRESS),
// mail catcher (unless SMTP_URL), worker and API — and a clean stop on Ctrl-C or SIGTERM.
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { mailSignInLink } from '../api/backoffice/routes';
import { openBackofficeStore } from '../api/backoffice/sessions';
import { listen } from '../api/listen';
import { complaintService } from '../api/complaints';
import { codecOrigins, loadConfig, mailFromAddress, mailInOptions, oidcOption, publicBaseUrl } from '../config/env';

import { createLogger } from '../config/logger';
import { loadProcedures } from '../config/procedures';
import { ensureSchedules, keptSchedules } from '../config/schedules';
import { attachmentStore, codecKeyRing, linkSecret, staffFile } from '../config/secrets';
import { ensureMailboxReaders, loadImapMailboxes } from '../config/imap';
import { loadStaff } from '../config/staff';
import {
  connectClient,
  connectWorkerConnection,
  namespaceRetentionMs,
  registerSearchAttributes,
  requireSearchAttributes,
  temporalTarget,
} from '../config/temporal';
import { createActivities } from '../worker/activities';
import { createComplaintWorker } from '../worker/worker';
import { mailFiler } from '../mail-in/file';
import { type MailListener, startMailListener } from '../mail-in/smtp';
import { type MailCatcher, startMailCatcher } from './mail-catcher';
import { type EmbeddedTemporal, startEmbeddedTemporal } from './temporal-server';

const logger = createLogger('klachtflow');
// The banner below says what started; the worker speaks up for warnings and errors only
// (not the bundler's statistics). Must precede the first worker connection.
Runtime.install({ logger: new DefaultLogger(process.env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });

interface Running {
  temporal?: EmbeddedTemporal;
  mail?: MailCatcher;
  client?: Client;
  worker?: Worker;
  workerDone?: Promise<void>;
  server?: Server;
  mailIn?: MailListener;
}

const running: Running = {};

async function start(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const procedures = loadProcedures(config.KLACHTFLOW_PROCEDURES_DIR);
  const staff = staffFile(config);
  const staffMembers = loadStaff(staff.path);

  if (!config.TEMPORAL_ADDRESS) {
    running.temporal = await startEmbeddedTemporal({
      dataDir: config.KLACHTFLOW_DATA_DIR,
      port: config.KLACHTFLOW_TEMPORAL_PORT,
      uiPort: config.KLACHTFLOW_TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      uiCodecEndpoint: `${publicBaseUrl(config)}/codec`,
    });
  }
  const target = temporalTarget(running.temporal?.address);
  const ring = codecKeyRing(config);
  const attachments = attachmentStore(config, ring);
  const client = (running.client = await connectClient(target, ring));
  if (running.temporal) {
    const added = await registerSearchAttributes(client);
    if (added.length) logger.info({ added }, 'search attributes registered');
  } else {
    await requireSearchAttributes(client);
  }

  const schedules = await ensureSchedules(client, procedures);
  const imapMailboxes = loadImapMailboxes(config.KLACHTFLOW_IMAP_FILE, procedures);
  for (const kept of keptSchedules(schedules)) logger.warn(kept, 'a schedule was kept as it was');

  running.mail = config.SMTP_URL ? undefined : await startMailCatcher(config.KLACHTFLOW_MAIL_SMTP_PORT, config.KLACHTFLOW_MAIL_UI_PORT);
  const smtpUrl = config.SMTP_URL ?? running.mail!.smtpUrl;

  const secret = linkSecret(config);
  const worker = (running.worker = await createComplaintWorker({
    connection: await connectWorkerConnection(target),
    namespace: target.namespace,
    keyRing: ring,
    maxCachedWorkflows: config.KLACHTFLOW_WORKER_CACHE,
    activities: createActivities({
      smtpUrl,
      mailFrom: config.MAIL_FROM,
      publicBaseUrl: publicBaseUrl(config),
      linkSecret: secret,
      procedures,
      staff: staffMembers,
      namespaceRetentionMs: await namespaceRetentionMs(client),
      sentLedgerFile: join(config.KLACHTFLOW_DATA_DIR, 'sent-mail.db'),
      imapMailboxes,
      attachments,
    }),
  }));
  await ensureMailboxReaders(client, imapMailboxes);
  running.workerDone = worker.run();
  running.workerDone.catch((err: unknown) => {
    logger.fatal({ err }, 'worker stopped');
    void stop(1);
  });

  const backoffice = openBackofficeStore(join(config.KLACHTFLOW_DATA_DIR, 'backoffice.db'));
  const app = createApp({
    client,
    procedures,
    staff: staffMembers,
    linkSecret: secret,
    publicBaseUrl: publicBaseUrl(config),
    logger,
    intakeRateLimit: config.KLACHTFLOW_INTAKE_RATE_LIMIT,
    authFailureLimits: { perAddress: config.KLACHTFLOW_AUTH_FAILURE_LIMIT, perComplaint: 20 },
    ...oidcOption(config),
    codecOrigins: codecOrigins(config, running.temporal?.uiUrl),
    backoffice,
    attachments,
  });
  running.server = await listen(app, config.PORT);
  // Complaints by e-mail: the SMTP listener for the procedures' mailboxes (issue 16).
  const mailIn = mailInOptions(config);
  running.mailIn = await startMailListener({
    ...mailIn,
    procedures,
    bounceAddresses: [mailFromAddress(config.MAIL_FROM)],
    file: mailFiler({ complaints: complaintService(client, secret), procedures, attachments }),
    logger,
  });
  const mailboxes = [...procedures.values()].flatMap((p) => p.mailbox?.addresses ?? []);
  // The development staff member's first sign-in link, waiting in the mail catcher.
  const devMember = staff.devToken ? staffMembers[0] : undefined;
  if (devMember && running.mail) {
    await mailSignInLink(client, backoffice, devMember).catch((err: unknown) => logger.warn({ err }, 'could not mail the first sign-in link; ask for one on the sign-in page'));
  }

  const base = publicBaseUrl(config);
  const lines = [
    `klachtflow is running (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    `  API and pages    ${base}   (readiness ${base}/readyz)`,
    `  Complaint forms  ${[...procedures.keys()].map((id) => `${base}/klacht/${id}`).join('\n                   ')}`,
    `  Intake API       POST ${base}/api/complaints   (OpenAPI ${base}/openapi.json)`,
    running.temporal
      ? `  Temporal UI      ${running.temporal.uiUrl}   (server ${target.address}, namespace ${target.namespace}, ${running.temporal.source})`
      : `  Temporal         ${target.address}, namespace ${target.namespace}`,
    `  Back office      ${base}/beheer/inloggen${devMember && running.mail ? `   (a sign-in link for ${devMember.email} is in the mail catcher)` : ''}`,
    `  Codec endpoint   ${base}/codec   (payloads are encrypted in Temporal; the UI and the CLI decode them here, for staff)`,
    `  Mail intake      smtp://${mailIn.host}:${running.mailIn.port}   (a complaint e-mailed to ${mailboxes.join(', ')} is filed)`,
    ...(imapMailboxes.length ? [`  IMAP mailboxes   ${imapMailboxes.map((m) => `${m.id} (${m.procedure})`).join(', ')}   (workflows mailbox-<id>)`] : []),
    running.mail ? `  Mail catcher     ${running.mail.uiUrl}   (SMTP ${running.mail.smtpUrl})` : `  E-mail           via SMTP_URL`,
    staff.devToken
      ? `  Staff token      ${staff.devToken}   (Authorization: Bearer …; staff file ${staff.path})`
      : `  Staff            tokens from ${staff.path}`,
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

let stopping: Promise<void> | undefined;

/** Stops what was started, in reverse order; the dev server last, so the worker can finish its tasks. */
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, `stopping ${what} failed`);
      }
    };
    if (running.server) {
      const server = running.server;
      await step('api', () => new Promise<void>((done) => { server.close(() => done()); server.closeAllConnections(); }));
    }
    if (running.mailIn) await step('mail intake', () => running.mailIn!.stop());
    if (running.worker && running.worker.getState() === 'RUNNING') running.worker.shutdown();
    if (running.workerDone) await step('worker', () => running.workerDone!);
    if (running.client) await step('client', () => running.client!.connection.close());
    if (running.mail) await step('mail catcher', () => running.mail!.stop());
    if (running.temporal) await step('temporal', () => running.temporal!.stop());
    process.exit(code);
  })();
  return stopping;
}

// `on`, not `once`: Ctrl-C reaches us twice (from the terminal and forwarded by npm), and a
// signal without a listener would kill the process before the dev server is stopped.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0));

start().catch(async (err: unknown) => {
  process.stderr.write(`klachtflow could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  await stop(1);
});
