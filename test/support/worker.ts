import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryAttachmentStore } from '../../codec/attachments';
import type { NativeConnection } from '@temporalio/worker';
import type { KeyRing } from '../../codec';
import { loadProcedures } from '../../config/procedures';

import { sha256Hex } from '../../config/secrets';
import type { StaffMember } from '../../config/staff';
import { type ActivitySettings, createActivities } from '../../worker/activities';
import { createComplaintWorker } from '../../worker/worker';
import { testKeyRing, testWorkflowBundle } from './temporal';

export const testLinkSecret = 'test-link-secret-0123456789abcdefghijklmnop';
export const testBaseUrl = 'http://klachtflow.test';
export const procedures = loadProcedures(join(__dirname, '..', '..', 'procedures'));
/** Each test staff member's bearer token; the staff file holds only its sha256. */
export const staffTokens = { hanna: 'hanna-token-0123456789abcdef', henk: 'henk-token-0123456789abcdef', mira: 'mira-token-0123456789abcdef' } as const;
export const testStaff: StaffMember[] = [
  { id: 'hanna', name: 'Hanna Handler', email: 'hanna@staff.test', roles: ['handler'], tokenSha256: sha256Hex(staffTokens.hanna) },
  { id: 'henk', name: 'Henk Handler', email: 'henk@staff.test', roles: ['handler'], tokenSha256: sha256Hex(staffTokens.henk) },
  { id: 'mira', name: 'Mira Manager', email: 'mira@staff.test', roles: ['manager', 'handler'], tokenSha256: sha256Hex(staffTokens.mira) },
];

/** The attachment store the test worker, API and mail intake share: a directory of this test file's own. */
export const testAttachmentsDir = mkdtempSync(join(tmpdir(), 'klachtflow-attachments-'));
export const testAttachments = directoryAttachmentStore(testAttachmentsDir, testKeyRing);

export function startTestWorker(connection: NativeConnection, namespace: string, smtpUrl: string, keyRing: KeyRing = testKeyRing, extra: Partial<ActivitySettings> = {}) {
  return createComplaintWorker({
    connection,
    namespace,
    keyRing,
    workflows: testWorkflowBundle(),

    activities: createActivities({
      smtpUrl,
      mailFrom: 'Klachten <klachten@klachtflow.test>',
      publicBaseUrl: testBaseUrl,
      linkSecret: testLinkSecret,
      procedures,
      staff: testStaff,
      namespaceRetentionMs: 24 * 3600 * 1000,
      sentLedgerFile: ':memory:',
      attachments: testAttachments,
      ...extra,
    }),
  });
}
