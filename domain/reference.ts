// Complaint references: KL-<year>-<6 chars Crockford base32> (SPEC §5). Random, so
// they reveal nothing about volume or order; the caller supplies the random bytes.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const referencePattern = /^KL-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/;

export function newReference(year: number, random: Uint8Array): string {
  if (random.length < 6) throw new RangeError('newReference needs at least 6 random bytes');
  let code = '';
  for (let i = 0; i < 6; i++) code += CROCKFORD[random[i]! % 32];
  return `KL-${year}-${code}`;
}

export function workflowIdFor(reference: string): string {
  return `complaint-${reference}`;
}

export function isReference(value: string): boolean {
  return referencePattern.test(value);
}
