import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePorts, isListening } from './ports';

/** moto's S3-compatible server, from PyPI (`moto[server]`; .ci/run installs it and sets the path). A test that needs it fails without it. */
const motoServerPath = process.env.KLACHTFLOW_MOTO_SERVER_PATH ?? 'moto_server';

/** Any credentials do for moto; the SDK insists on some. */
export const s3TestCredentials = { accessKeyId: 'klachtflow-test', secretAccessKey: 'klachtflow-test-secret' };

/** An S3-compatible object store for a test file, on a free loopback port, with one bucket; stopped by its PID. */
export class S3Server {
  private constructor(
    readonly endpoint: string,
    readonly bucket: string,
    readonly client: S3Client,
    private readonly child: ChildProcess,
  ) {}

  static async start(bucket = 'klachtflow-attachments'): Promise<S3Server> {
    if (motoServerPath.includes('/') && !existsSync(motoServerPath)) throw new Error(`moto_server is not at ${motoServerPath}: pip install "moto[server]" (.ci/run does)`);
    const [port] = await freePorts(1);
    const child = spawn(motoServerPath, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000)));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err) => reject(new Error(`moto_server could not start (${err.message}): pip install "moto[server]" (.ci/run does)`)));
      child.once('exit', (code) => reject(new Error(`moto_server exited (${code}): ${output}`)));
    });
    failed.catch(() => undefined);
    for (let i = 0; !(await Promise.race([isListening(port!), failed])); i++) {
      if (i > 150) {
        child.kill('SIGKILL');
        throw new Error(`moto_server did not listen on ${port} within 15 s: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: s3TestCredentials });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return new S3Server(endpoint, bucket, client, child);
  }

  async stop(): Promise<void> {
    this.client.destroy();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
