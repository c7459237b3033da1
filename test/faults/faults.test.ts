import { type EmbeddedTemporal, startEmbeddedTemporal } from '../../dev/temporal-server';
import { describeFaults } from '../support/fault-suite';
import { freePorts } from '../support/ports';

// The fault suite (test/support/fault-suite.ts) against the dev server on its database file, with
// one worker and one API: what `npm start` runs.
let temporal: EmbeddedTemporal | undefined;
let restart: () => Promise<void>;

describe('faults, with the dev server, an SMTP sink, the worker and the API as separate processes', () => {
  describeFaults(
    {
      name: 'dev server',
      async start(dir) {
        const [port, uiPort] = await freePorts(2);
        const start = async () => void (temporal = await startEmbeddedTemporal({ dataDir: dir, port: port!, uiPort: uiPort!, namespace: 'default' }));
        restart = start;
        await start();
        return temporal!.address;
      },
      async kill() {
        process.kill(temporal!.pid!, 'SIGKILL');
        await temporal!.stop();
      },
      restart: () => restart(),
      stop: async () => temporal?.stop(),
    },
    { intakes: 200, lanes: 8, workers: 1, apis: 1 },
  );
});
