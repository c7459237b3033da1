import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { explainStartFailure, resolveTemporalBinary, temporalCli } from '../config/binaries';

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  namespace: string;
  /** Where the server is from, for the start-up banner. */
  source: string;
  /** The server's process id, where we started the process ourselves (for the benchmark's memory figures). */
  pid?: number;
  stop(): Promise<void>;
}

export interface EmbeddedTemporalOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** The codec endpoint the UI decodes payloads with (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
}

const startTimeoutMs = 60_000;

/** `temporal server start-dev` with its state in `<dataDir>/temporal.db`, from the resolved binary or the SDK download. */
export async function startEmbeddedTemporal(options: EmbeddedTemporalOptions): Promise<EmbeddedTemporal> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const executable = resolveTemporalBinary(temporalCli);
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://localhost:${options.uiPort}`;
  if (executable.type === 'cached-download') return startWithSdkDownload(options, dataDir, address, uiUrl);

  const logFile = join(dataDir, 'temporal.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    executable.path,
    [
      'server', 'start-dev',
      '--db-filename', join(dataDir, 'temporal.db'),
      '--ip', '127.0.0.1',
      '--port', String(options.port),
      '--ui-port', String(options.uiPort),
      '--namespace', options.namespace,
      '--log-format', 'json',
      '--log-level', 'warn',
      ...codecArgs(options),
    ],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = () => stopChild(child, exited);
  try {
    await waitUntilServing(address, exited, logFile);
  } catch (err) {
    await stop();
    throw explainStartFailure(temporalCli, executable, err);
  }
  return { address, uiUrl, namespace: options.namespace, source: executable.path, stop, ...(child.pid ? { pid: child.pid } : {}) };
}

const codecArgs = (options: EmbeddedTemporalOptions): string[] => (options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []);

async function waitUntilServing(
address: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  for (;;) {
    if (gone !== undefined) {
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
      throw new Error(`exited with code ${gone}: ${tail || 'no output'} (is port ${address.split(':')[1]} in use?)`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`not serving on ${address} after ${startTimeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

// No binary here: the SDK downloads the CLI (needs internet) and runs it for us.
async function startWithSdkDownload(
  options: EmbeddedTemporalOptions,
  dataDir: string,
  address: string,
  uiUrl: string,
): Promise<EmbeddedTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        dbFilename: join(dataDir, 'temporal.db'),
        ip: '127.0.0.1',
        port: options.port,
        ui: true,
        uiPort: options.uiPort,
        namespace: options.namespace,
        extraArgs: codecArgs(options),
      },
    });
    return { address, uiUrl, namespace: options.namespace, source: 'SDK download', stop: () => env.teardown() };
  } catch (err) {
    throw explainStartFailure(temporalCli, { type: 'cached-download' }, err);
  }
}
