import { join } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import { loadProcedures } from '../../config/procedures';
import { createActivities } from '../../worker/activities';
import { createComplaintWorker } from '../../worker/worker';
import { testWorkflowBundle } from './temporal';

export const testLinkSecret = 'test-link-secret-0123456789abcdefghijklmnop';
export const testBaseUrl = 'http://klachtflow.test';
export const procedures = loadProcedures(join(__dirname, '..', '..', 'procedures'));

export function startTestWorker(connection: NativeConnection, namespace: string, smtpUrl: string) {
  return createComplaintWorker({
    connection,
    namespace,
    workflows: testWorkflowBundle(),
    activities: createActivities({
      smtpUrl,
      mailFrom: 'Klachten <klachten@klachtflow.test>',
      publicBaseUrl: testBaseUrl,
      linkSecret: testLinkSecret,
      procedures,
    }),
  });
}
