// The one registry of actions: each one's update, body schema, HTTP path, audience, roles and
// guard. The workflow registers a handler per entry, the API a route per entry, the OpenAPI
// document an operation per entry; no action name is written anywhere else.
import type { UpdateDefinition } from '@temporalio/common';
import { defineUpdate } from '@temporalio/workflow';
import type { z as Zod } from 'zod';
import type { Dossier } from '../dossier';
import { lazy, z } from '../lazy-zod';
import { localDateOf } from '../local-date';
import type { Refusal } from '../refusals';
import { type Actor, type Audience, type ComplaintOutcome, type ComplaintStatus, linkScopes, staffRoles } from '../vocabulary';
import { appealActions } from './appeals';
import { complainantActions } from './complainant';
import { mailboxActions } from './mailbox';
import type { ActionDefinition } from './define';
import { staffId } from './define';
import { staffActions } from './staff';

export const actions = { ...staffActions, ...appealActions, ...complainantActions, ...mailboxActions };
export type ActionName = keyof typeof actions;
export const actionNames = Object.keys(actions) as ActionName[];
type SchemaOf<K extends ActionName> = (typeof actions)[K] extends ActionDefinition<infer S> ? S : never;
/** The body of an action, as the API takes it. */
export type BodyOf<K extends ActionName> = Zod.infer<SchemaOf<K>>;
/** What the update carries: who acts, the body, and (with an Idempotency-Key) which request it is. */
export interface ActionCall<K extends ActionName = ActionName> {
  actor: Actor;
  input: BodyOf<K>;
  /** Keyed hashes, never the key or the body: the same key with another action or body is refused. */
  request?: { key: string; fingerprint: string };
}
/** What an update returns: small, so that no history event carries the dossier. */
export interface ActionResult {
  status: ComplaintStatus;
  outcome?: ComplaintOutcome;
  /** The timeline events the action recorded. */
  events: string[];
}

const definition = (name: ActionName): ActionDefinition<Zod.ZodType> => actions[name];

export const audienceOf = (name: ActionName): Audience => definition(name).audience;
export const rolesOf = (name: ActionName) => definition(name).roles ?? staffRoles;
export const summaryOf = (name: ActionName): string => definition(name).summary;
/** The HTTP path segment: `send-position` for `sendPosition`, unless the action names its own. */
export const pathOf = (name: ActionName): string => definition(name).path ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const updates = new Map<ActionName, UpdateDefinition<ActionResult, [ActionCall]>>();
export function updateOf<K extends ActionName>(name: K): UpdateDefinition<ActionResult, [ActionCall<K>]> {
  let update = updates.get(name);
  if (!update) updates.set(name, (update = defineUpdate<ActionResult, [ActionCall]>(name)));
  return update;
}

const bodies = new Map<ActionName, Zod.ZodType>();
/** The body schema of an action, built on first use. */
export function bodySchema<K extends ActionName>(name: K): SchemaOf<K> {
  let schema = bodies.get(name);
  if (!schema) bodies.set(name, (schema = definition(name).body()));
  return schema as SchemaOf<K>;
}

const actorSchema = lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('complainant'),
      link: z.strictObject({ generation: z.number().int().nonnegative(), scopes: z.array(z.enum(linkScopes)) }).optional(),
    }),
    z.strictObject({ kind: z.literal('staff'), id: staffId(), roles: z.array(z.enum(staffRoles)).min(1) }),
    z.strictObject({ kind: z.literal('mailbox') }),
  ]),
);

/** Free text a dossier may hold in all (UTF-8): 200 of the largest notes and posts each fit, and the dossier stays far below Temporal's 2 MB payload limit. */
export const dossierLimitBytes = 1_500_000;

/** The UTF-8 length of a string: what the dossier's size is counted in. */
export function utf8Bytes(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const dayMs = 24 * 3600 * 1000;

/** The checks every action passes first: open, the right person, not too often, not too much. */
function commonRefusal(name: ActionName, dossier: Dossier, call: ActionCall, now: number): Refusal | undefined {
  const action = definition(name);
  const { actor } = call;
  if (dossier.destroyedEarly) return { code: 'DestructionUnderway', since: localDateOf(new Date(dossier.destroyedEarly.at), dossier.timezone) };
  if (action.whenClosed === true && !dossier.outcome) return { code: 'NotClosedYet' };
  if (dossier.outcome && action.whenClosed === undefined) return { code: 'ComplaintClosed', closedOn: localDateOf(new Date(dossier.closedAt ?? now), dossier.timezone) };
  if (actor.kind !== action.audience) return { code: 'NotYourAction', audience: action.audience };
  if (actor.kind === 'complainant' && actor.link) {
    // A link of an earlier generation: staff revoked it. One that only views: sent after closure.
    if (actor.link.generation < (dossier.linkGeneration ?? 0)) return { code: 'LinkRevoked' };
    const scope = action.linkScope ?? 'answer';
    if (!actor.link.scopes.includes(scope)) return { code: 'LinkScopeMissing', scope };
  }
  if (actor.kind === 'staff') {
    const roles = rolesOf(name);
    if (!actor.roles.some((role) => roles.includes(role))) return { code: 'RoleRequired', roles: [...roles] };
    if (dossier.involved.some((p) => p.staffId === actor.id)) return { code: 'ActorInvolved', staffId: actor.id };
  }
  if (action.rate) {
    const { event, perDay } = action.rate;
    const recent = dossier.timeline.filter((e) => e.event === event && Date.parse(e.at) > now - dayMs);
    if (recent.length >= perDay) return { code: 'RateLimited', limit: perDay, until: new Date(Date.parse(recent[0]!.at) + dayMs).toISOString() };
  }
  if (utf8Bytes(JSON.stringify(dossier)) + utf8Bytes(JSON.stringify(call.input)) > dossierLimitBytes) return { code: 'DossierFull', limitBytes: dossierLimitBytes };
  return undefined;
}

const calls = new Map<ActionName, Zod.ZodType>();
function callSchema(name: ActionName): Zod.ZodType {
  let schema = calls.get(name);
  if (!schema) {
    const request = z.strictObject({ key: z.string().min(16).max(64), fingerprint: z.string().min(16).max(64) });
    calls.set(name, (schema = z.strictObject({ actor: actorSchema(), input: bodySchema(name), request: request.optional() })));
  }
  return schema;
}

/**
 * Why an action cannot be taken now by this actor, or undefined if it can. The workflow's
 * validator, the API and the pages all ask this one function.
 */
export function refusalFor(name: ActionName, dossier: Dossier, call: unknown, now: number): Refusal | undefined {
  const parsed = callSchema(name).safeParse(call);
  if (!parsed.success) {
    return { code: 'InvalidRequest', problems: parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', rule: i.message })) };
  }
  const valid = parsed.data as ActionCall;
  return commonRefusal(name, dossier, valid, now) ?? definition(name).guard?.(dossier, valid.input, { now, actor: valid.actor });
}

