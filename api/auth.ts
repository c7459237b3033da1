import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sha256Hex } from '../config/secrets';
import type { StaffMember, StaffRole } from '../config/staff';
import type { Dossier } from '../domain/dossier';
import { type LinkClaims, verifyLinkToken } from '../domain/link-token';
import type { Actor } from '../domain/vocabulary';
import { HttpProblem } from './problem';

/** The token after `Bearer `, if the request carries one. */
function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Who is acting, for the handlers after the auth middleware. */
export const staffOf = (res: Response): StaffMember => res.locals.staff as StaffMember;

/**
 * Staff routes: a bearer token whose sha256 is in the staff file; 401 without one or with an
 * unknown one. Where `session` is given (the codec endpoint), a signed-in back-office session
 * serves as well: the staff id it names.
 */
export function staffAuth(staff: readonly StaffMember[], session?: (req: Request) => string | undefined): RequestHandler {
  const byHash = new Map(staff.map((member) => [member.tokenSha256, member]));
  return (req, res, next) => {
    const token = bearer(req);
    const unauthorized = (detail: string) =>
      new HttpProblem({ title: 'Unauthorized', status: 401, detail }, { 'WWW-Authenticate': 'Bearer realm="klachtflow staff"' });
    if (!token) {
      const signedIn = session?.(req);
      const member = signedIn ? staff.find((m) => m.id === signedIn) : undefined;
      if (member) {
        res.locals.staff = member;
        return next();
      }
      return next(unauthorized(session ? 'sign in to the back office (/beheer), or send your staff token as Authorization: Bearer <token>' : 'send your staff token as Authorization: Bearer <token>'));
    }
    const hash = sha256Hex(token);
    const member = byHash.get(hash);
    // The map lookup found the candidate; the comparison that decides runs in constant time.
    if (!member || !timingSafeEqual(Buffer.from(member.tokenSha256, 'hex'), Buffer.from(hash, 'hex'))) {
      return next(unauthorized('this staff token is not valid'));
    }
    res.locals.staff = member;
    next();
  };
}

const roleNames = (roles: readonly StaffRole[]): string => roles.join(' or ');

/** 403 for a staff member whose roles do not include one of `roles`. */
export function requireRole(roles: readonly StaffRole[], what: string): RequestHandler {
  return (_req, res, next) => {
    const member = staffOf(res);
    if (member.roles.some((role) => roles.includes(role))) return next();
    next(new HttpProblem({ title: 'Forbidden', status: 403, detail: `only a ${roleNames(roles)} may ${what}` }));
  };
}

/** The one answer to a wrong, forged, expired or revoked link: it reveals nothing about which. */
export const invalidLink = (): HttpProblem =>
  new HttpProblem({ title: 'Forbidden', status: 403, detail: 'this link is not valid (any more); use the latest link we e-mailed you, or contact us' });

/** The complainant's link, for the handlers after complainantAuth. */
export const linkOf = (res: Response): LinkClaims => res.locals.link as LinkClaims;

/** The complainant as an actor: through this link, whose generation and scopes the workflow checks. */
export const complainantActor = (link: LinkClaims): Actor => ({ kind: 'complainant', link: { generation: link.generation, scopes: [...link.scopes] } });

/** A link staff revoked since it was made: the complaint's link generation has moved past it. */
export const revoked = (link: LinkClaims, dossier: Pick<Dossier, 'linkGeneration'>): boolean => link.generation < (dossier.linkGeneration ?? 0);

/**
 * Complainant routes: the link token from the e-mail, as `?token=` or a bearer token, for this
 * reference. A wrong, forged or expired link gets one and the same answer: it reveals nothing.
 * Whether staff revoked it, the dossier says (the route checks it) and the workflow (every action).
 */
export function complainantAuth(secret: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const token = fromQuery ?? bearer(req);
    if (!token) {
      return next(new HttpProblem({ title: 'Unauthorized', status: 401, detail: 'open your dossier with the link from the e-mail we sent you' }));
    }
    const claims = verifyLinkToken(secret, token, new Date());
    if (!claims || claims.reference !== req.params.reference) return next(invalidLink());
    res.locals.link = claims;
    next();
  };
}
