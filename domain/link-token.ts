import { createHmac, timingSafeEqual } from 'node:crypto';

// Complainant links carry no account: an HMAC over (complaint, purpose, expiry) with the
// server's LINK_SECRET is the whole credential (SPEC §6).
export type LinkPurpose = 'dossier';

export interface LinkClaims {
  reference: string;
  purpose: LinkPurpose;
  expiresAt: Date;
}

const sign = (secret: string, body: string): Buffer => createHmac('sha256', secret).update(body).digest();

export function createLinkToken(secret: string, claims: LinkClaims): string {
  const body = Buffer.from(
    JSON.stringify({ r: claims.reference, p: claims.purpose, e: Math.floor(claims.expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** The one token format: a base64url body, a dot, and the 43 base64url characters of its HMAC; nothing before or after. */
const tokenFormat = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/;

/** The claims of a valid, unexpired token, or undefined: callers reveal nothing about why. */
export function verifyLinkToken(secret: string, token: string, now: Date): LinkClaims | undefined {
  const [, body, mac] = tokenFormat.exec(token) ?? [];
  if (!body || !mac) return undefined;
  const expected = sign(secret, body);
  const given = Buffer.from(mac, 'base64url');
  // base64url decoding forgives: only the canonical spelling of the MAC is the MAC.
  if (given.length !== expected.length || given.toString('base64url') !== mac || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { r, p, e } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { r: string; p: LinkPurpose; e: number };
    const expiresAt = new Date(e * 1000);
    if (expiresAt.getTime() <= now.getTime()) return undefined;
    return { reference: r, purpose: p, expiresAt };
  } catch {
    return undefined;
  }
}

// A dossier link stays valid for two years from receipt: past every seed procedure's
// retention of a closed complaint (at most two years after receipt, gooiconsult).
const dossierLinkValidityMs = 2 * 366 * 24 * 3600 * 1000;

/** The complainant's personal link to their dossier: `<base>/dossier/<reference>?token=…`. */
export function dossierUrl(publicBaseUrl: string, secret: string, reference: string, receivedAt: Date): string {
  const token = createLinkToken(secret, {
    reference,
    purpose: 'dossier',
    expiresAt: new Date(receivedAt.getTime() + dossierLinkValidityMs),
  });
  return `${publicBaseUrl}/dossier/${reference}?token=${token}`;
}
