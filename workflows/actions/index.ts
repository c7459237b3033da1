// Every action of the registry as a Workflow Update: the registry's guard as its validator
// (a refusal never enters history), its effect as the handler, a small result back.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { type ActionCall, type ActionName, actionNames, type ActionResult, refusalFor, updateOf } from '../../domain/actions';
import type { Refusal } from '../../domain/refusals';
import { actorName } from '../../domain/vocabulary';
import type { ComplaintState } from '../state';
import { appealEffects } from './appeals';
import { complainantEffects } from './complainant';
import { mailboxEffects } from './mailbox';
import type { ActionContext, Effect, Effects } from './effect';
import { staffEffects } from './staff';

export const effects: Effects<ActionName> = { ...staffEffects, ...appealEffects, ...complainantEffects, ...mailboxEffects };

/** A refusal as Temporal carries it: its code is the failure's type, its data the details; the words come at the edge. */
export const refusalFailure = (refusal: Refusal): ApplicationFailure =>
  ApplicationFailure.create({ type: refusal.code, message: refusal.code, details: [refusal], nonRetryable: true });

/**
 * An action whose guard passed: its effect, then the status and visibility brought in line. A
 * request whose Idempotency-Key was used for this very request before lands once: the second
 * answers how things stand (Temporal's own update ids do this within one run; this holds across runs too).
 */
export async function perform(state: ComplaintState, name: ActionName, call: ActionCall, services: Omit<ActionContext, 'actor'>): Promise<ActionResult> {
  const before = state.dossier.timeline.length;
  if (!call.request || state.requests.get(call.request.key) !== call.request.fingerprint) {
    if (call.request) state.remember(call.request);
    await (effects[name] as Effect<ActionName>)(state, call.input, { ...services, actor: actorName(call.actor) });
  }
  state.sync();
  const { status, outcome } = state.dossier;
  return { status, ...(outcome ? { outcome } : {}), events: state.dossier.timeline.slice(before).map((e) => e.event) };
}

export function handleActions(state: ComplaintState, services: Omit<ActionContext, 'actor'>): void {
  const refuseIf = (name: ActionName, call: unknown): void => {
    // The key of an earlier request: that request again lands as it did; another one is refused, as at intake.
    const request = (call as Partial<ActionCall> | undefined)?.request;
    const earlier = typeof request?.key === 'string' ? state.requests.get(request.key) : undefined;
    if (earlier !== undefined && earlier !== request?.fingerprint) throw refusalFailure({ code: 'IdempotencyKeyReused' });
    if (earlier !== undefined) return;
    const refusal = refusalFor(name, state.dossier, call, state.clock());
    if (refusal) throw refusalFailure(refusal);
  };
  for (const name of actionNames) {
    setHandler(
      updateOf(name),
      async (call) => {
        // An update in the very first task comes before intake has made the terms: it is checked once they exist.
        if (!state.ready) {
          await condition(() => state.ready);
          refuseIf(name, call);
        }
        return perform(state, name, call, services);
      },
      {
        validator: (call) => {
          if (state.ready) refuseIf(name, call);
        },
      },
    );
  }
}
