import { createLinkToken, verifyLinkToken } from '../../domain/link-token';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const claims = { reference: 'KL-2026-01AJZZ', purpose: 'dossier' as const, expiresAt: new Date('2027-01-01T00:00:00Z') };
const before = new Date('2026-06-01T00:00:00Z');

describe('complainant link tokens', () => {
  it('verify with the secret that signed them', () => {
    expect(verifyLinkToken(secret, createLinkToken(secret, claims), before)).toEqual(claims);
  });

  it('are refused after they expire', () => {
    expect(verifyLinkToken(secret, createLinkToken(secret, claims), new Date('2027-01-01T00:00:01Z'))).toBeUndefined();
  });

  it('are refused when forged: other secret, changed reference, truncated or garbage', () => {
    const token = createLinkToken(secret, claims);
    expect(verifyLinkToken('another-secret-of-thirty-two-characters', token, before)).toBeUndefined();
    const [, mac] = token.split('.');
    const otherBody = Buffer.from(JSON.stringify({ r: 'KL-2026-XXXXXX', p: 'dossier', e: 1798761600 })).toString('base64url');
    expect(verifyLinkToken(secret, `${otherBody}.${mac}`, before)).toBeUndefined();
    expect(verifyLinkToken(secret, token.slice(0, -3), before)).toBeUndefined();
    expect(verifyLinkToken(secret, 'not-a-token', before)).toBeUndefined();
    expect(verifyLinkToken(secret, '', before)).toBeUndefined();
  });

  it('carry no personal data, only the reference', () => {
    const body = Buffer.from(createLinkToken(secret, claims).split('.')[0]!, 'base64url').toString();
    expect(JSON.parse(body)).toEqual({ r: 'KL-2026-01AJZZ', p: 'dossier', e: 1798761600 });
  });
});
