// `npm run api`: the HTTP API against TEMPORAL_ADDRESS. Run as many as needed: its only state,
// the back office's sign-ins and sessions, is in the data directory they share.
import { join } from 'node:path';
import { codecOrigins, loadConfig, oidcOption, publicBaseUrl } from '../config/env';
import { createLogger } from '../config/logger';
import { loadProcedures } from '../config/procedures';
import { attachmentStore, codecKeyRing, linkSecret, staffFile } from '../config/secrets';
import { loadStaff } from '../config/staff';
import { connectClient, requireSearchAttributes, temporalTarget } from '../config/temporal';
import { createApp } from './app';
import { openBackofficeStore } from './backoffice/sessions';
import { listen } from './listen';

const logger = createLogger('klachtflow-api');

async function main(): Promise<void> {
  const config = loadConfig();
  const procedures = loadProcedures(config.KLACHTFLOW_PROCEDURES_DIR);
  const ring = codecKeyRing(config);
  const client = await connectClient(temporalTarget(), ring);

  await requireSearchAttributes(client);
  const staff = loadStaff(staffFile(config).path);
  const app = createApp({
    client,
    procedures,
    staff,
    linkSecret: linkSecret(config),
    publicBaseUrl: publicBaseUrl(config),
    logger,
    intakeRateLimit: config.KLACHTFLOW_INTAKE_RATE_LIMIT,
    authFailureLimits: { perAddress: config.KLACHTFLOW_AUTH_FAILURE_LIMIT, perComplaint: 20 },
    ...oidcOption(config),
    codecOrigins: codecOrigins(config),
    backoffice: openBackofficeStore(join(config.KLACHTFLOW_DATA_DIR, 'backoffice.db')),
    attachments: attachmentStore(config, ring),
  });
  const server = await listen(app, config.PORT);
  logger.info({ port: config.PORT }, 'api listening');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close(() => void client.connection.close().finally(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
