import { join } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import { loadProcedures } from '../../config/procedures';
import type { StaffMember } from '../../config/staff';
import { createActivities } from '../../worker/activities';
import { createComplaintWorker } from '../../worker/worker';
import { testWorkflowBundle } from './temporal';

export const testLinkSecret = 'test-link-secret-0123456789abcdefghijklmnop';
export const testBaseUrl = 'http://klachtflow.test';
export const procedures = loadProcedures(join(__dirname, '..', '..', 'procedures'));
const noToken = '0'.repeat(64);
export const testStaff: StaffMember[] = [
  { id: 'hanna', name: 'Hanna Handler', email: 'hanna@staff.test', roles: ['handler'], tokenSha256: noToken },
  { id: 'henk', name: 'Henk Handler', email: 'henk@staff.test', roles: ['handler'], tokenSha256: noToken },
  { id: 'mira', name: 'Mira Manager', email: 'mira@staff.test', roles: ['manager', 'handler'], tokenSha256: noToken },
];

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
      staff: testStaff,
      namespaceRetentionMs: 24 * 3600 * 1000,
    }),
  });
}
