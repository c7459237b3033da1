import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sha256Hex } from '../../config/secrets';
import { registerSearchAttributes } from '../../config/temporal';
import { type Cluster, startCluster } from '../../dev/cluster';
import { freePortBlock, freePorts } from './ports';
import { type Service, startService } from './processes';
import { testClientOptions, testCodecKeysEnv } from './temporal';

/** The staff of every cluster suite: a manager who also handles, and a handler. */
export const clusterStaff = { mira: 'cluster-suite-mira-token-0123456789abcdef', hanna: 'cluster-suite-hanna-token-0123456789abcdef' };

export interface TestCluster {
  cluster: Cluster;
  /** A client with the tests' codec, on the cluster. */
  client: Client;
  dir: string;
  /** What klachtflow's processes get: the cluster, the SMTP sink, the staff file, the codec keys. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  startWorker(extra?: NodeJS.ProcessEnv): Promise<Service>;
  /** An API process on a port of its own; its URL. */
  startApi(extra?: NodeJS.ProcessEnv): Promise<Service & { url: string }>;
  stop(): Promise<void>;
}

/**
 * The production shape for a test file: PostgreSQL 15 and the Temporal server (4 history shards)
 * in a directory of its own on free ports, the search attributes registered as `setup:temporal`
 * does, and klachtflow's worker and API as processes of their own, configured by environment.
 */
export async function startTestCluster(name: string, smtpUrl: string, options: { ui?: { codecEndpoint: string } } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), `klachtflow-${name}-`));
  // PostgreSQL runs as its own user where we are root: it must pass through this directory.
  chmodSync(dir, 0o755);
  const [frontend, membershipBase] = await Promise.all([freePortBlock(7), freePortBlock(6)]);
  const [postgres, ui] = await freePorts(2);
  const cluster = await startCluster({
    dir: join(dir, 'cluster'),
    ports: { frontend, membershipBase, postgres: postgres!, ...(options.ui ? { ui: ui! } : {}) },
    namespace: 'default',
    ...(options.ui ? { uiCodecEndpoint: options.ui.codecEndpoint } : {}),
    log: () => undefined,
  });
  const client = new Client({ connection: await Connection.connect({ address: cluster.address }), namespace: 'default', ...testClientOptions });
  await registerSearchAttributes(client);
  const staffFile = join(dir, 'staff.yaml');
  writeFileSync(
    staffFile,
    [
      `- { id: mira, name: Mira Manager, email: mira@staff.test, roles: [manager, handler], tokenSha256: ${sha256Hex(clusterStaff.mira)} }`,
      `- { id: hanna, name: Hanna Handler, email: hanna@staff.test, roles: [handler], tokenSha256: ${sha256Hex(clusterStaff.hanna)} }`,
      '',
    ].join('\n'),
  );
  const services: Service[] = [];
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: 'default',
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Klachten <klachten@cluster.test>',
    LINK_SECRET: 'cluster-suite-link-secret-0123456789abcdefghij',
    KLACHTFLOW_CODEC_KEYS: testCodecKeysEnv,
    KLACHTFLOW_DATA_DIR: dir,
    KLACHTFLOW_STAFF_FILE: staffFile,
    KLACHTFLOW_WORKFLOW_BUNDLE: process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE,
    KLACHTFLOW_INTAKE_RATE_LIMIT: '100000',
    LOG_LEVEL: 'info',
    ...extra,
  });
  return {
    cluster,
    client,
    dir,
    env,
    async startWorker(extra) {
      const worker = await startService('worker/main.ts', env(extra), { ready: 'worker started' });
      services.push(worker);
      return worker;
    },
    async startApi(extra) {
      const port = extra?.PORT ?? (await freePorts(1))[0];
      const url = `http://127.0.0.1:${port}`;
      const api = await startService('api/main.ts', env({ PORT: String(port), PUBLIC_BASE_URL: url, ...extra }), { ready: 'api listening' });
      services.push(api);
      return Object.assign(api, { url });
    },
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
      await client.connection.close();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
