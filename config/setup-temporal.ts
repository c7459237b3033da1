// `npm run setup:temporal`: registers the search attributes of SPEC §5 on the Temporal
// that TEMPORAL_ADDRESS points at, and makes the data directory's secrets and staff file
// if they are not configured (the compose stack's one-shot `setup` service; an operator
// can run it against their own cluster too), and makes the Temporal Schedules. Idempotent.
import { loadConfig } from './env';
import { createLogger } from './logger';
import { codecKeyRing, linkSecret, staffFile } from './secrets';
import { loadProcedures } from './procedures';
import { ensureSchedules, keptSchedules } from './schedules';
import { connectClient, registerSearchAttributes, temporalTarget } from './temporal';

const logger = createLogger('klachtflow-setup');

async function main(): Promise<void> {
  const config = loadConfig();
  linkSecret(config);
  const ring = codecKeyRing(config);
  const staff = staffFile(config);
  logger.info({ staffFile: staff.path }, staff.devToken ? 'staff file ready; its token is in secrets.json of the data directory' : 'staff file configured');
  const target = temporalTarget();
  const client = await connectClient(target, ring);

  const deadline = Date.now() + 120_000;
  // The server may still be starting when this runs beside it.
  for (;;) {
    try {
      const added = await registerSearchAttributes(client);
      logger.info({ namespace: target.namespace, added }, added.length ? 'search attributes registered' : 'search attributes already present');
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  // The destruction statement and each procedure's report, as the workers keep them.
  const schedules = await ensureSchedules(client, loadProcedures(config.KLACHTFLOW_PROCEDURES_DIR));
  for (const kept of keptSchedules(schedules)) logger.warn(kept, 'a schedule was kept as it was');
  logger.info({ schedules }, 'schedules ready');
  await client.connection.close();
}

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
