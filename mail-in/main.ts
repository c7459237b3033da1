// `npm run mail-in`: the SMTP listener for complaints by e-mail against TEMPORAL_ADDRESS (issue 16).
// Point an MX record or a forwarding rule at it; run more than one behind the MX's preferences.
import { complaintService } from '../api/complaints';
import { loadConfig, mailFromAddress, mailInOptions } from '../config/env';
import { createLogger } from '../config/logger';
import { loadProcedures } from '../config/procedures';
import { attachmentStore, codecKeyRing, linkSecret } from '../config/secrets';
import { connectClient, requireSearchAttributes, temporalTarget } from '../config/temporal';
import { mailFiler } from './file';
import { startMailListener } from './smtp';

const logger = createLogger('klachtflow-mail-in');

async function main(): Promise<void> {
  const config = loadConfig();
  const procedures = loadProcedures(config.KLACHTFLOW_PROCEDURES_DIR);
  const ring = codecKeyRing(config);
  const client = await connectClient(temporalTarget(), ring);
  await requireSearchAttributes(client);
  const options = mailInOptions(config);
  const listener = await startMailListener({
    ...options,
    procedures,
    bounceAddresses: [mailFromAddress(config.MAIL_FROM)],
    file: mailFiler({ complaints: complaintService(client, linkSecret(config)), procedures, attachments: attachmentStore(config, ring) }),
    logger,
  });
  logger.info({ port: listener.port, host: options.host, mailboxes: [...procedures.values()].flatMap((p) => p.mailbox?.addresses ?? []).length }, 'mail-in listening');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void listener.stop().then(() => client.connection.close()).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
