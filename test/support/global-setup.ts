import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../../codec';
import { workflowsPath } from '../../worker/worker';

/** Builds the workflow bundle once per run; every test worker loads it from this file. */
export default async function globalSetup(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietLogger });
;
  const path = join(mkdtempSync(join(tmpdir(), 'klachtflow-bundle-')), 'workflow-bundle.js');
  writeFileSync(path, code);
  process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE = path;
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };
