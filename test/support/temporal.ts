import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { dataConverter, keyRing } from '../../codec';
import { requireLocalBinary, temporalCli, temporalTestServer } from '../../config/binaries';
import { searchAttributeDefinitions } from '../../config/temporal';
import { complaintSearchAttributes } from '../../domain/search-attributes';

/** The tests' key ring: fixed keys, so that a test may read what another process wrote. */
const testKeys = [
  { id: 'test-2026a', key: Buffer.alloc(32, 7).toString('base64') },
  { id: 'test-2026b', key: Buffer.alloc(32, 11).toString('base64') },
];
export const testKeyRing = keyRing(testKeys);
/** The same ring as `KLACHTFLOW_CODEC_KEYS`, for the processes a test starts. */
export const testCodecKeysEnv = testKeys.map(({ id, key }) => `${id}:${key}`).join(',');

/** What every test client is given: the codec the worker uses. */
export const testClientOptions = { dataConverter: dataConverter(testKeyRing) };

let runtimeInstalled = false;
/** Worker logs at WARN, installed before any connection exists: a test's output shows failures, not every task. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** The time-skipping test server from TEMPORAL_TEST_SERVER_PATH / PATH (the SDK download outside CI). */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: requireLocalBinary(temporalTestServer) }, client: testClientOptions });
  // The test server cannot list search attributes, but it can add them.
  await env.client.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: searchAttributeDefinitions() });
  return env;
}

/** A real dev server (in memory) with every search attribute of SPEC §5 registered. */
export function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    client: testClientOptions,

    server: {
      executable: requireLocalBinary(temporalCli),
      searchAttributes: [...complaintSearchAttributes],
      log: { format: 'json', level: 'error' },
    },
  });
}

export function testWorkflowBundle(): { workflowBundle: { codePath: string } } {
  const codePath = process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('KLACHTFLOW_TEST_WORKFLOW_BUNDLE is not set: run the tests through jest (global setup builds it)');
  return { workflowBundle: { codePath } };
}
