import { randomBytes } from 'node:crypto';
import { isReference, newReference, referencePattern, workflowIdFor } from '../../domain/reference';

describe('complaint references', () => {
  it('are KL-<year>-<6 Crockford base32 characters>', () => {
    expect(newReference(2026, Uint8Array.from([0, 1, 10, 18, 31, 255]))).toBe('KL-2026-01AJZZ');
  });

  it('never use the letters Crockford leaves out (I, L, O, U)', () => {
    for (let i = 0; i < 2000; i++) {
      const reference = newReference(2026, randomBytes(6));
      expect(reference).toMatch(referencePattern);
      expect(reference.slice(8)).not.toMatch(/[ILOU]/);
    }
  });

  it('name the workflow complaint-<reference>', () => {
    expect(workflowIdFor('KL-2026-01AJZZ')).toBe('complaint-KL-2026-01AJZZ');
    expect(isReference('KL-2026-01AJZZ')).toBe(true);
    expect(isReference('KL-2026-01AJZU')).toBe(false);
    expect(isReference('complaint-KL-2026-01AJZZ')).toBe(false);
  });
});
