// `npm run cluster` (issue 18): the production shape on this machine. PostgreSQL 15 in a data
// directory of its own, Temporal's schema set up, and the Temporal server (the version of the Go
// module below) with 4 history shards; every port configurable; stopped cleanly on Ctrl-C. The
// server and its SQL tool come from the Go build cache (`go install`, built once from the Go
// module proxy); PostgreSQL from Debian's packages.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { stringify } from 'yaml';

const run = promisify(execFile);

/** Keep in step with docker-compose.yml. */
export const temporalServerVersion = 'v1.32.2';
/** The Go toolchain the server module needs (fetched by Go itself from the module proxy). */
const goToolchain = 'go1.27.3';

export interface ClusterOptions {
  dir: string;
  /** The frontend's gRPC port; the other services take the next ones (history +1, matching +2, worker +6). */
  port: number;
  postgresPort: number;
  /** Membership ports start here (frontend, history, matching, worker: +0 … +3); metrics and pprof follow. */
  internalPortBase: number;
  namespace: string;
  historyShards: number;
  log?: (line: string) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

const pgBin = (tool: string) => join(process.env.KLACHTFLOW_PG_BIN ?? '/usr/lib/postgresql/15/bin', tool);

async function goEnv(name: string): Promise<string> {
  return (await run('go', ['env', name])).stdout.trim();
}

/** The server and SQL tool from the Go build cache, built there first if they are not. */
async function temporalBinaries(log: (line: string) => void): Promise<{ server: string; sql: string; schema: string }> {
  const bin = join(await goEnv('GOPATH'), 'bin');
  const schema = join(await goEnv('GOMODCACHE'), `go.temporal.io/server@${temporalServerVersion}`, 'schema', 'postgresql', 'v12');
  const server = process.env.KLACHTFLOW_TEMPORAL_SERVER_PATH ?? join(bin, 'server');
  const sql = process.env.KLACHTFLOW_TEMPORAL_SQL_PATH ?? join(bin, 'sql');
  for (const [path, pkg] of [[server, 'cmd/server'], [sql, 'cmd/tools/sql']] as const) {
    if (existsSync(path) && existsSync(schema)) continue;
    log(`building go.temporal.io/server/${pkg}@${temporalServerVersion} (once, about 8 minutes; then Go's cache has it)`);
    await run('go', ['install', `go.temporal.io/server/${pkg}@${temporalServerVersion}`], { env: { ...process.env, GOTOOLCHAIN: goToolchain }, maxBuffer: 64 * 1024 * 1024 });
  }
  return { server, sql, schema };
}

/** PostgreSQL runs as `postgres` where we are root (it refuses root), else as ourselves. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [command, args];
  return ['su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')]];
}

async function startPostgres(dir: string, port: number, log: (line: string) => void): Promise<() => Promise<void>> {
  const data = join(dir, 'postgresql');
  if (!existsSync(pgBin('initdb'))) throw new Error(`PostgreSQL 15 is not installed at ${pgBin('')}: apt-get install postgresql-15 (or set KLACHTFLOW_PG_BIN)`);
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${data}`);
    await run(...asPostgres(pgBin('initdb'), ['-D', data, '-U', 'temporal', '--auth=trust', '-E', 'UTF8']));
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  await run(...asPostgres(pgBin('pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'postgresql.log'), '-w', 'start']));
  log(`PostgreSQL on 127.0.0.1:${port}`);
  return async () => void (await run(...asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])));
}

/** The databases and their schema, brought to the server's version (idempotent). */
async function setupSchema(sql: string, schema: string, port: number): Promise<void> {
  const env = { ...process.env, SQL_PLUGIN: 'postgres12', SQL_HOST: '127.0.0.1', SQL_PORT: String(port), SQL_USER: 'temporal', SQL_PASSWORD: 'temporal' };
  for (const [db, versioned] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    await run(sql, ['--db', db, '--quiet', 'create-database'], { env });
    // A fresh database gets version 0.0 first; one set up before keeps its version and is updated.
    await run(sql, ['--db', db, '--quiet', 'setup-schema', '-v', '0.0'], { env });
    await run(sql, ['--db', db, 'update-schema', '-d', join(schema, versioned, 'versioned')], { env });
  }
}

function serverConfig(options: ClusterOptions): Record<string, unknown> {
  const store = (databaseName: string, maxConns: number) => ({
    sql: { pluginName: 'postgres12', databaseName, connectAddr: `127.0.0.1:${options.postgresPort}`, connectProtocol: 'tcp', user: 'temporal', password: 'temporal', maxConns, maxIdleConns: maxConns, maxConnLifetime: '1h' },
  });
  const service = (grpc: number, membership: number) => ({ rpc: { grpcPort: grpc, membershipPort: membership, bindOnLocalHost: true } });
  const b = options.internalPortBase;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: { defaultStore: 'default', visibilityStore: 'visibility', numHistoryShards: options.historyShards, datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 4) } },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: b + 4 },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${b + 5}` } },
    },
    services: {
      frontend: service(options.port, b),
      history: service(options.port + 1, b + 1),
      matching: service(options.port + 2, b + 2),
      worker: service(options.port + 6, b + 3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${options.port}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
  };
}

async function serving(address: string, exited: () => boolean, logFile: string): Promise<Connection> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited()) throw new Error(`the Temporal server exited: ${readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ')}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      return connection;
    } catch {
      if (Date.now() > deadline) throw new Error(`the Temporal server is not serving on ${address} after 120 s; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The namespace, where it is missing (a week's retention, as the dev server's). */
async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') });
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = resolve(options.dir);
  const binaries = await temporalBinaries(log);
  const stopPostgres = await startPostgres(dir, options.postgresPort, log);
  let child: ChildProcess | undefined;
  let gone = false;
  const stop = async () => {
    if (child && !gone) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await stopPostgres();
  };
  try {
    await setupSchema(binaries.sql, binaries.schema, options.postgresPort);
    const configFile = join(dir, 'temporal.yaml');
    writeFileSync(configFile, stringify(serverConfig(options)));
    const logFile = join(dir, 'temporal.log');
    const out = openSync(logFile, 'a');
    child = spawn(binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start'], { stdio: ['ignore', out, out] });
    child.once('exit', () => (gone = true));
    const address = `127.0.0.1:${options.port}`;
    const connection = await serving(address, () => gone, logFile);
    await ensureNamespace(connection, options.namespace);
    await connection.close();
    log(`Temporal ${temporalServerVersion} on ${address} (${options.historyShards} history shards, namespace ${options.namespace}); log ${logFile}`);
    return { address, namespace: options.namespace, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const portOf = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, 1 to 65535`);
  return value;
};

async function main(): Promise<void> {
  const cluster = await startCluster({
    dir: process.env.KLACHTFLOW_CLUSTER_DIR ?? join(process.env.KLACHTFLOW_DATA_DIR ?? './data', 'cluster'),
    port: portOf('KLACHTFLOW_TEMPORAL_PORT', 7233),
    postgresPort: portOf('KLACHTFLOW_CLUSTER_PG_PORT', 55432),
    internalPortBase: portOf('KLACHTFLOW_CLUSTER_INTERNAL_PORT_BASE', 16933),
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    historyShards: 4,
  });
  console.log(`Ready. Point klachtflow at it: TEMPORAL_ADDRESS=${cluster.address} npm run setup:temporal, then npm run worker and npm run api. Ctrl-C stops it.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void cluster.stop().then(() => process.exit(0), (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
