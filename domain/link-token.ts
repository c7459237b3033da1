import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { referencePattern } from './reference';
import { type LinkScope, linkScopes } from './vocabulary';


// Complainant links carry no account: an HMAC over (complaint, scopes, link generation, expiry)
// with the server's LINK_SECRET is the whole credential (SPEC §6). Scopes say what the link may
// do (an action names the scope it needs, domain/actions); the generation is the complaint's count of revocations when it was made: staff revoke a
// complaint's links by raising it (revokeLinks), and every older link is refused from then on.
export { type LinkScope, linkScopes };
/** A closed complaint's links only show it: its e-mails after closure carry these. */
export const viewOnly: readonly LinkScope[] = ['view'];

export interface LinkClaims {
  reference: string;
  scopes: readonly LinkScope[];
  /** The complaint's link generation it was made in (0 until staff first revoke its links). */
  generation: number;
  expiresAt: Date;
}

const letters: Record<LinkScope, string> = { view: 'v', answer: 'a', withdraw: 'w' };
const sign = (secret: string, body: string): Buffer => createHmac('sha256', secret).update(body).digest();

export function createLinkToken(secret: string, claims: LinkClaims): string {
  const s = linkScopes.filter((scope) => claims.scopes.includes(scope)).map((scope) => letters[scope]).join('');
  const body = Buffer.from(JSON.stringify({ r: claims.reference, s, g: claims.generation, e: Math.floor(claims.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** The one token format: a base64url body, a dot, and the 43 base64url characters of its HMAC; nothing before or after. */
const tokenFormat = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/;

const reference = z.string().regex(referencePattern);
const expiry = z.number().int().positive();
const bodySchema = z.union([
  // Every link may view; `a` answers, `w` withdraws.
  z.strictObject({ r: reference, s: z.string().regex(/^va?w?$/), g: z.number().int().nonnegative(), e: expiry }),
  // The links of the e-mails sent before links had scopes: every scope, the first generation.
  z.strictObject({ r: reference, p: z.literal('dossier'), e: expiry }),
]);

/** The claims of a valid, unexpired token, or undefined: callers reveal nothing about why. */
export function verifyLinkToken(secret: string, token: string, now: Date): LinkClaims | undefined {
  const [, body, mac] = tokenFormat.exec(token) ?? [];
  if (!body || !mac) return undefined;
  const expected = sign(secret, body);
  const given = Buffer.from(mac, 'base64url');
  // base64url decoding forgives: only the canonical spelling of the MAC is the MAC.
  if (given.length !== expected.length || given.toString('base64url') !== mac || !timingSafeEqual(given, expected)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const claims = parsed.data;
  const expiresAt = new Date(claims.e * 1000);
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  if ('p' in claims) return { reference: claims.r, scopes: linkScopes, generation: 0, expiresAt };
  return { reference: claims.r, scopes: linkScopes.filter((scope) => claims.s.includes(letters[scope])), generation: claims.g, expiresAt };
}

// A dossier link stays valid for two years from receipt: past every seed procedure's
// retention of a closed complaint (at most two years after receipt, gooiconsult).
const dossierLinkValidityMs = 2 * 366 * 24 * 3600 * 1000;

/** Which link: the complaint's link generation (0 unless revoked) and what it may do (everything unless closed). */
export interface LinkOptions {
  generation?: number;
  scopes?: readonly LinkScope[];
}

/** The complainant's personal link to their dossier: `<base>/dossier/<reference>?token=…`. */
export function dossierUrl(publicBaseUrl: string, secret: string, reference: string, receivedAt: Date, options: LinkOptions = {}): string {
  const token = createLinkToken(secret, {
    reference,
    scopes: options.scopes ?? linkScopes,
    generation: options.generation ?? 0,
    expiresAt: new Date(receivedAt.getTime() + dossierLinkValidityMs),
  });
  return `${publicBaseUrl}/dossier/${reference}?token=${token}`;
}

// --- staff sign-in links (the back office) ---

/** The link's token: the sign-in's id and an HMAC over it, so that the id alone (in the workflow that mails it) is no link. */
export function signInToken(secret: string, id: string): string {
  return `${id}.${createHmac('sha256', secret).update(`sign-in:${id}`).digest('base64url')}`;
}

const signInFormat = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

/** The sign-in id of a well-formed token with a valid MAC, or undefined. */
export function signInIdOf(secret: string, token: string): string | undefined {
  const [, id, mac] = signInFormat.exec(token) ?? [];
  if (!id || !mac) return undefined;
  const expected = Buffer.from(signInToken(secret, id).split('.')[1]!, 'base64url');
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && given.toString('base64url') === mac && timingSafeEqual(given, expected) ? id : undefined;
}
