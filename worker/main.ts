// `npm run worker`: one worker process against TEMPORAL_ADDRESS; scale out by running more.
import { join } from 'node:path';
import { loadConfig, publicBaseUrl } from '../config/env';
import { createLogger } from '../config/logger';
import { loadProcedures } from '../config/procedures';
import { ensureSchedules, keptSchedules } from '../config/schedules';
import { attachmentStore, codecKeyRing, linkSecret, staffFile } from '../config/secrets';
import { loadStaff } from '../config/staff';
import { connectClient, connectWorkerConnection, namespaceRetentionMs, requireSearchAttributes, temporalTarget } from '../config/temporal';
import { ensureMailboxReaders, loadImapMailboxes } from '../config/imap';
import { createActivities } from './activities';
import { createComplaintWorker } from './worker';

const logger = createLogger('klachtflow-worker');

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.SMTP_URL) throw new Error('SMTP_URL is required for `npm run worker` (use `npm start` for the embedded mail catcher)');
  const procedures = loadProcedures(config.KLACHTFLOW_PROCEDURES_DIR);
  const target = temporalTarget();
  const ring = codecKeyRing(config);
  const client = await connectClient(target, ring);
  await requireSearchAttributes(client);
  const retentionMs = await namespaceRetentionMs(client);
  const schedules = await ensureSchedules(client, procedures);
  for (const kept of keptSchedules(schedules)) logger.warn(kept, 'a schedule was kept as it was');
  const imapMailboxes = loadImapMailboxes(config.KLACHTFLOW_IMAP_FILE, procedures);
  const readers = await ensureMailboxReaders(client, imapMailboxes);
  await client.connection.close();
  const worker = await createComplaintWorker({
    connection: await connectWorkerConnection(target),
    namespace: target.namespace,
    keyRing: ring,
    maxCachedWorkflows: config.KLACHTFLOW_WORKER_CACHE,
    activities: createActivities({
      smtpUrl: config.SMTP_URL,
      mailFrom: config.MAIL_FROM,
      publicBaseUrl: publicBaseUrl(config),
      linkSecret: linkSecret(config),
      procedures,
      staff: loadStaff(staffFile(config).path),
      namespaceRetentionMs: retentionMs,
      sentLedgerFile: join(config.KLACHTFLOW_DATA_DIR, 'sent-mail.db'),
      imapMailboxes,
      attachments: attachmentStore(config, ring),
    }),
  });
  logger.info({ address: target.address, namespace: target.namespace, procedures: [...procedures.keys()], schedules, mailboxReaders: readers }, 'worker started');
  await worker.run(); // returns after SIGINT / SIGTERM, once in-flight tasks are done
}

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
