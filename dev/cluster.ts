// `npm run cluster` (issue 18): the production shape on this machine. PostgreSQL 15 in a data
// directory of its own, Temporal's schema set up, the Temporal server with 4 history shards and the
// Temporal UI, at the versions docker-compose.yml runs and with the same configuration file
// (deploy/temporal-server.yaml); every port configurable; stopped cleanly on Ctrl-C. The server, its
// SQL tool and the UI server come from the Go build cache (built once from the Go module proxy);
// PostgreSQL from Debian's packages. The cluster test suites start it through `startCluster`, and
// break it on purpose through the handles it returns.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

const run = promisify(execFile);
const root = join(__dirname, '..');

/** Keep in step with docker-compose.yml (a unit test holds them together). */
export const temporalServerVersion = 'v1.32.2';
/** The UI server's version; dev/temporal-ui/go.mod pins the same. */
export const temporalUiVersion = 'v2.58.1';
/** PostgreSQL's major version, Debian's here and the image's in docker-compose.yml. */
export const postgresMajor = 15;
/** The Go toolchain both modules need (fetched by Go itself from the module proxy). */
export const goToolchain = 'go1.27.3';
export const serverConfigFile = join(root, 'deploy', 'temporal-server.yaml');
const uiModuleDir = join(root, 'dev', 'temporal-ui');

export interface ClusterPorts {
  /** The frontend's gRPC port; history, matching and the system worker take +1, +2 and +6. */
  frontend: number;
  /** Membership ports (+0 … +3; below 32768, Temporal stores them in a smallint), pprof (+4) and metrics (+5). */
  membershipBase: number;
  postgres: number;
  /** The Temporal UI's HTTP port; none when left out. */
  ui?: number;
}

export interface ClusterOptions {
  dir: string;
  ports: ClusterPorts;
  namespace: string;
  /** The codec endpoint the UI decodes payloads with (klachtflow's API `/codec`). */
  uiCodecEndpoint?: string;
  log?: (line: string) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  uiUrl?: string;
  /** The Temporal server's PID now (it changes when the server is started again). */
  readonly serverPid: number;
  /** Stops the Temporal server: SIGKILL is a crash, SIGTERM a clean stop. */
  stopServer(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same database, and waits until it serves. */
  startServer(): Promise<void>;
  /** PostgreSQL's fast shutdown (every connection cut), and its start again. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Everything, in order: the UI, the server, PostgreSQL. */
  stop(): Promise<void>;
}

const pgBin = (tool: string) => join(process.env.KLACHTFLOW_PG_BIN ?? `/usr/lib/postgresql/${postgresMajor}/bin`, tool);

async function goEnv(name: string): Promise<string> {
  return (await run('go', ['env', name])).stdout.trim();
}

interface Binaries {
  server: string;
  sql: string;
  schema: string;
  ui: string;
  /** The UI server's module: its config/docker.yaml is the configuration its Docker image runs with. */
  uiRoot: string;
}

/**
 * The server, its SQL tool and the UI server from the Go build cache, built there first where they
 * are not (4 to 8 minutes on 2 cores with Go's caches empty; seconds when they have the packages). Each version
 * has a directory of its own, so a binary of another version is never taken for this one.
 */
export async function clusterBinaries(log: (line: string) => void = console.log): Promise<Binaries> {
  const [gopath, modcache] = await Promise.all([goEnv('GOPATH'), goEnv('GOMODCACHE')]);
  const serverDir = join(gopath, 'bin', 'klachtflow', `temporal-${temporalServerVersion}`);
  const uiBin = join(gopath, 'bin', 'klachtflow', `temporal-ui-${temporalUiVersion}`, 'ui-server');
  const binaries: Binaries = {
    server: process.env.KLACHTFLOW_TEMPORAL_SERVER_PATH ?? join(serverDir, 'server'),
    sql: process.env.KLACHTFLOW_TEMPORAL_SQL_PATH ?? join(serverDir, 'sql'),
    schema: join(modcache, `go.temporal.io/server@${temporalServerVersion}`, 'schema', 'postgresql', 'v12'),
    ui: process.env.KLACHTFLOW_TEMPORAL_UI_SERVER_PATH ?? uiBin,
    uiRoot: join(modcache, `github.com/temporalio/ui-server/v2@${temporalUiVersion}`),
  };
  const env = { ...process.env, GOTOOLCHAIN: goToolchain };
  const maxBuffer = 64 * 1024 * 1024;
  for (const [path, pkg] of [[binaries.server, 'cmd/server'], [binaries.sql, 'cmd/tools/sql']] as const) {
    if (existsSync(path) && existsSync(binaries.schema)) continue;
    log(`building go.temporal.io/server/${pkg}@${temporalServerVersion} (once; minutes when Go's cache is cold)`);
    await run('go', ['install', `go.temporal.io/server/${pkg}@${temporalServerVersion}`], { env: { ...env, GOBIN: serverDir }, maxBuffer });
  }
  if (!existsSync(binaries.ui) || !existsSync(binaries.uiRoot)) {
    log(`building github.com/temporalio/ui-server/v2@${temporalUiVersion} (once; a minute or so)`);
    await run('go', ['build', '-o', binaries.ui, 'github.com/temporalio/ui-server/v2/cmd/server'], { cwd: uiModuleDir, env: { ...env, GOFLAGS: '-mod=readonly' }, maxBuffer });
  }
  return binaries;
}

/** PostgreSQL runs as `postgres` where we are root (it refuses root), else as ourselves. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [command, args];
  return ['su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')]];
}

/** A PostgreSQL data directory of its own (made on first use), and its start and stop. */
async function postgres(dir: string, port: number, log: (line: string) => void): Promise<{ start: () => Promise<void>; stop: () => Promise<void> }> {
  const data = join(dir, 'postgresql');
  if (!existsSync(pgBin('initdb'))) throw new Error(`PostgreSQL ${postgresMajor} is not installed at ${pgBin('')}: apt-get install postgresql-${postgresMajor} (or set KLACHTFLOW_PG_BIN)`);
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid === 0) {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
    chownSync(dir, await id('-u'), await id('-g'));
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${data}`);
    await run(...asPostgres(pgBin('initdb'), ['-D', data, '-U', 'temporal', '--auth=trust', '-E', 'UTF8']));
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  return {
    start: async () => void (await run(...asPostgres(pgBin('pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'postgresql.log'), '-w', 'start']))),
    stop: async () => void (await run(...asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']))),
  };
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

/** A child process whose output goes to a log file, stopped by its PID. */
function daemon(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', out, out] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    child,
    gone: () => child.exitCode !== null || child.signalCode !== null,
    async stop(signal: 'SIGTERM' | 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The last lines of a log, each cut short (the server's carry whole stack traces). */
const tail = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-3).map((line) => line.slice(0, 300)).join(' | ') : '');

async function serving(address: string, exited: () => boolean, logFile: string): Promise<Connection> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited()) throw new Error(`the Temporal server exited: ${tail(logFile)}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      return connection;
    } catch {
      if (Date.now() > deadline) throw new Error(`the Temporal server is not serving on ${address} after 120 s; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * The namespace, where it is missing (a week's retention, as the dev server's), and until every
 * service knows it: the frontend's namespace cache takes up to 10 s to hear of a new one.
 */
async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') });
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function uiServing(url: string, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`the Temporal UI exited: ${tail(logFile)}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the Temporal UI is not serving on ${url} after 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = resolve(options.dir);
  const { ports } = options;
  const binaries = await clusterBinaries(log);
  const pg = await postgres(dir, ports.postgres, log);
  await pg.start();
  log(`PostgreSQL ${postgresMajor} on 127.0.0.1:${ports.postgres}`);
  const address = `127.0.0.1:${ports.frontend}`;
  const serverLog = join(dir, 'temporal.log');
  const serverEnv = {
    ...process.env,
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: String(ports.postgres),
    TEMPORAL_FRONTEND_PORT: String(ports.frontend),
    TEMPORAL_MEMBERSHIP_PORT_BASE: String(ports.membershipBase),
  };
  let server: ReturnType<typeof daemon> | undefined;
  let ui: ReturnType<typeof daemon> | undefined;
  const startServer = async () => {
    server = daemon(binaries.server, ['--config-file', serverConfigFile, '--allow-no-auth', 'start'], serverEnv, serverLog);
    const connection = await serving(address, server.gone, serverLog);
    await ensureNamespace(connection, options.namespace);
    await connection.close();
  };
  const stop = async () => {
    await ui?.stop('SIGTERM');
    await server?.stop('SIGTERM');
    await pg.stop().catch(() => undefined);
  };
  try {
    await setupSchema(binaries.sql, binaries.schema, ports.postgres);
    await startServer();
    log(`Temporal ${temporalServerVersion} on ${address} (4 history shards, namespace ${options.namespace}); log ${serverLog}`);
    let uiUrl: string | undefined;
    if (ports.ui) {
      uiUrl = `http://localhost:${ports.ui}`;
      const uiLog = join(dir, 'temporal-ui.log');
      // As the UI's Docker image runs: its own config/docker.yaml, read through these variables.
      ui = daemon(binaries.ui, ['--root', binaries.uiRoot, '--env', 'docker', 'start'], {
        ...process.env,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_UI_PORT: String(ports.ui),
        TEMPORAL_DEFAULT_NAMESPACE: options.namespace,
        TEMPORAL_CODEC_ENDPOINT: options.uiCodecEndpoint ?? '',
        // The codec answers staff signed in to the back office: their session cookie goes along.
        TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true',
        TEMPORAL_CORS_ORIGINS: uiUrl,
        TEMPORAL_DISABLE_NEWS_FETCH: 'true',
      }, uiLog);
      await uiServing(uiUrl, ui.gone, uiLog);
      log(`Temporal UI ${temporalUiVersion} on ${uiUrl}; log ${uiLog}`);
    }
    return {
      address,
      namespace: options.namespace,
      ...(uiUrl ? { uiUrl } : {}),
      get serverPid() {
        return server!.child.pid!;
      },
      stopServer: async (signal) => server!.stop(signal),
      startServer,
      stopPostgres: pg.stop,
      startPostgres: pg.start,
      stop,
    };
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
  // `--build`: only the binaries, built where the Go cache lacks them (`.ci/run` does this first).
  if (process.argv.includes('--build')) {
    const built = await clusterBinaries();
    console.log(`Temporal server ${temporalServerVersion}: ${built.server}\nTemporal UI ${temporalUiVersion}: ${built.ui}`);
    return;
  }
  const apiBase = (process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const uiPort = portOf('KLACHTFLOW_TEMPORAL_UI_PORT', 8233);
  const cluster = await startCluster({
    dir: process.env.KLACHTFLOW_CLUSTER_DIR ?? join(process.env.KLACHTFLOW_DATA_DIR ?? './data', 'cluster'),
    ports: {
      frontend: portOf('KLACHTFLOW_TEMPORAL_PORT', 7233),
      membershipBase: portOf('KLACHTFLOW_CLUSTER_INTERNAL_PORT_BASE', 16933),
      postgres: portOf('KLACHTFLOW_CLUSTER_PG_PORT', 55432),
      ui: uiPort,
    },
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    uiCodecEndpoint: `${apiBase}/codec`,
  });
  console.log(
    [
      'Ready. Point klachtflow at it (Ctrl-C stops it):',
      `  TEMPORAL_ADDRESS=${cluster.address} npm run setup:temporal`,
      `  TEMPORAL_ADDRESS=${cluster.address} npm run worker`,
      `  TEMPORAL_ADDRESS=${cluster.address} KLACHTFLOW_CODEC_CORS_ORIGIN=${cluster.uiUrl} npm run api`,
      `The Temporal UI decodes payloads through ${apiBase}/codec, for staff signed in there.`,
    ].join('\n'),
  );
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
