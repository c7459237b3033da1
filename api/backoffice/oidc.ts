// Signing in to the back office with OpenID Connect (issue 15), beside the e-mailed link: the
// authorization code flow with PKCE, state and nonce (openid-client), against the organisation's
// provider (Microsoft Entra ID, Google, Keycloak…). The person is the staff file's line with the
// token's e-mail address; their roles come from the token's group claim, mapped by configuration.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { StaffMember } from '../../config/staff';
import { type StaffRole, staffRoles } from '../../domain/vocabulary';
import type { AppDependencies } from '../app';
import type { PageKit } from './routes';
import { backofficeTexts } from './texts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Per role, the group ids (Entra: object ids) whose members have it. */
  roleGroups: Partial<Record<StaffRole, string[]>>;
  /** The claim with the groups (Entra: `groups`) and the one with the e-mail address (Entra: `email` or `preferred_username`). */
  groupsClaim: string;
  emailClaim: string;
  /** The button's name: "Inloggen met <label>". */
  label: string;
}

/** The roles a person's groups give, in the staff file's order. */
export const rolesOfGroups = (roleGroups: OidcSettings['roleGroups'], groups: readonly string[]): StaffRole[] =>
  staffRoles.filter((role) => roleGroups[role]?.some((group) => groups.includes(group)));

const flowCookie = 'klachtflow-oidc';
const flowMinutes = 10;

export function oidcRoutes(
  router: Router,
  deps: AppDependencies,
  kit: Pick<PageKit, 'message' | 'languageOf'>,
  settings: OidcSettings,
  startSession: (res: Response, member: StaffMember, roles: StaffRole[]) => void,
  backTo: (value: unknown) => string,
): void {
  const redirectUri = `${deps.publicBaseUrl}/beheer/inloggen/oidc/terug`;
  const issuer = new URL(settings.issuer);
  // Plain http only for a provider on this machine (a test or a local Keycloak).
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, { timeout: 10, ...(loopback ? { execute: [oidc.allowInsecureRequests] } : {}) })
      .catch((err: unknown) => {
        discovered = undefined; // asked again on the next sign-in
        throw err;
      });
    return discovered;
  };

  // The flow's secrets ride in a short-lived cookie, MAC'd with the link secret.
  const mac = (value: string) => createHmac('sha256', deps.linkSecret).update(`oidc:${value}`).digest('base64url');
  const flowSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), back: z.string(), until: z.number() });
  const readFlow = (req: Request): z.infer<typeof flowSchema> | undefined => {
    const raw = (req.cookies as Record<string, unknown> | undefined)?.[flowCookie];
    if (typeof raw !== 'string') return undefined;
    const [body = '', given = ''] = raw.split('.');
    const expected = mac(body);
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return undefined;
    try {
      const flow = flowSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString()));
      return flow.until > Date.now() ? flow : undefined;
    } catch {
      return undefined;
    }
  };
  const cookieOptions = { httpOnly: true, secure: deps.publicBaseUrl.startsWith('https:'), sameSite: 'lax' as const, path: '/beheer/inloggen/oidc' };

  const refuse = (req: Request, res: Response, status: number, text: (t: ReturnType<typeof backofficeTexts>) => string) => {
    const t = backofficeTexts(kit.languageOf(req));
    return kit.message(req, res, status, t.oidc.failedTitle, text(t));
  };

  router.get('/beheer/inloggen/oidc', async (req, res) => {
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      deps.logger.error({ issuer: issuer.origin, error: err instanceof Error ? err.message : 'unknown' }, 'the OpenID provider cannot be reached');
      return refuse(req, res, 503, (t) => t.oidc.unreachable);
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, back: backTo(req.query.terug), until: Date.now() + flowMinutes * 60_000 };
    const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
    res.cookie(flowCookie, `${body}.${mac(body)}`, { ...cookieOptions, maxAge: flowMinutes * 60_000 });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    res.redirect(303, url.href);
  });

  router.get('/beheer/inloggen/oidc/terug', async (req, res) => {
    const flow = readFlow(req);
    res.clearCookie(flowCookie, cookieOptions);
    if (!flow) return refuse(req, res, 403, (t) => t.oidc.expired);
    let claims: Record<string, unknown>;
    try {
      const config = await configuration();
      const query = new URL(req.originalUrl, deps.publicBaseUrl).search;
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${redirectUri}${query}`), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      claims = (tokens.claims() ?? {});
    } catch (err) {
      // The provider's error (a refused consent, a replayed code): said in words, logged by its kind only.
      deps.logger.warn({ error: err instanceof Error ? (err as { code?: string }).code ?? err.name : 'unknown' }, 'OpenID sign-in failed');
      return refuse(req, res, 403, (t) => t.oidc.refused);
    }
    const email = typeof claims[settings.emailClaim] === 'string' ? (claims[settings.emailClaim] as string).toLowerCase() : undefined;
    const member = email ? deps.staff.find((m) => m.email.toLowerCase() === email) : undefined;
    if (!member) {
      deps.logger.warn({ subject: typeof claims.sub === 'string' ? createHmac('sha256', deps.linkSecret).update(claims.sub).digest('hex').slice(0, 12) : undefined }, 'OpenID sign-in of someone not in the staff file');
      return refuse(req, res, 403, (t) => t.oidc.unknown);
    }
    const groups = Array.isArray(claims[settings.groupsClaim]) ? (claims[settings.groupsClaim] as unknown[]).filter((g): g is string => typeof g === 'string') : [];
    const roles = rolesOfGroups(settings.roleGroups, groups);
    if (roles.length === 0) {
      deps.logger.warn({ staff: member.id }, 'OpenID sign-in without a group that gives a role');
      return refuse(req, res, 403, (t) => t.oidc.noRole);
    }
    startSession(res, member, roles);
    deps.logger.info({ staff: member.id, roles, via: 'oidc' }, 'signed in to the back office');
    res.redirect(303, flow.back);
  });
}
