import { createHmac } from 'node:crypto';
import { createLinkToken, verifyLinkToken } from '../../domain/link-token';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const claims = { reference: 'KL-2026-01AJZZ', scopes: ['view', 'answer', 'withdraw'] as const, generation: 0, expiresAt: new Date('2027-01-01T00:00:00Z') };
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

  it('are read by one strict format: nothing appended, no second spelling of the MAC', () => {
    const token = createLinkToken(secret, claims);
    expect(verifyLinkToken(secret, token, before)).toBeDefined();
    for (const variant of [`${token}.garbage.more`, `${token}.`, `${token}=`, ` ${token}`, `${token}\n`, token.replace('.', '..')]) {
      expect(verifyLinkToken(secret, variant, before)).toBeUndefined();
    }
    // The last base64url character carries two unused bits: a MAC spelt with them set is not the MAC.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)]!;
    expect(verifyLinkToken(secret, `${token.slice(0, -1)}${sibling}`, before)).toBeUndefined();
  });

  it('carry no personal data, only the reference', () => {
    const body = Buffer.from(createLinkToken(secret, claims).split('.')[0]!, 'base64url').toString();
    expect(JSON.parse(body)).toEqual({ r: 'KL-2026-01AJZZ', s: 'vaw', g: 0, e: 1798761600 });
  });

  it('carry their scopes and generation; every link may view', () => {
    const viewing = { ...claims, scopes: ['view'] as const, generation: 3 };
    expect(verifyLinkToken(secret, createLinkToken(secret, viewing), before)).toEqual(viewing);
    const answering = { ...claims, scopes: ['view', 'answer'] as const };
    expect(verifyLinkToken(secret, createLinkToken(secret, answering), before)).toEqual(answering);
    // Well signed, but a body outside the format (no view scope, a negative generation, a stray field) is no token.
    const signed = (body: object) => {
      const encoded = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `${encoded}.${createHmac('sha256', secret).update(encoded).digest('base64url')}`;
    };
    for (const body of [{ r: claims.reference, s: 'aw', g: 0, e: 1798761600 }, { r: claims.reference, s: 'v', g: -1, e: 1798761600 }, { r: claims.reference, s: 'v', g: 0, e: 1798761600, x: 1 }, { r: 'someone@example.nl', s: 'v', g: 0, e: 1798761600 }]) {
      expect(verifyLinkToken(secret, signed(body), before)).toBeUndefined();
    }
  });

  it('sent before links had scopes still open the dossier: every scope, the first generation', () => {
    const body = Buffer.from(JSON.stringify({ r: 'KL-2026-01AJZZ', p: 'dossier', e: 1798761600 })).toString('base64url');
    const legacy = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    expect(verifyLinkToken(secret, legacy, before)).toEqual(claims);
  });
});
