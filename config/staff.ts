import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

import { type StaffRole, staffRoles } from '../domain/vocabulary';

export type { StaffRole };

export const staffMemberSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9._-]+$/, 'a staff id is lower-case letters, digits, dots, dashes or underscores'),
  name: z.string().min(1),
  email: z.email(),
  roles: z.array(z.enum(staffRoles)).min(1),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'the sha256 of the token, as 64 hex digits'),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** The staff file (KLACHTFLOW_STAFF_FILE): a YAML list; an invalid one names the entry, field and rule. */
export function loadStaff(path: string): StaffMember[] {
  const result = z.array(staffMemberSchema).min(1, 'list at least one staff member').safeParse(parse(readFileSync(path, 'utf8')));
  if (!result.success) {
    throw new Error(`${path}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}
