// The complaint machine without Temporal: the workflow's own state, guards, effects and clocks,
// driven by a clock of the test's own, with the real deadline activities (holiday data and all)
// and every queued e-mail taken as delivered. Pure and fast: what the reachability test explores.
import { join } from 'node:path';
import { createDeadlineActivities } from '../../activities/deadlines';
import { loadProcedures } from '../../config/procedures';
import { type ActionName, type BodyOf, refusalFor } from '../../domain/actions';
import type { ComplaintInput } from '../../domain/complaint';
import type { Refusal } from '../../domain/refusals';
import type { Actor } from '../../domain/vocabulary';
import { perform } from '../../workflows/actions';
import { fire, nextAlarm } from '../../workflows/clocks';
import { mailer } from '../../workflows/effects';
import { sent } from '../../workflows/outbox';
import { type Carried, ComplaintState } from '../../workflows/state';
import { complaintInput } from './complaints';

export const procedures = loadProcedures(join(__dirname, '..', '..', 'procedures'));

/** One moment of one complaint: its whole state and the time on its clock. */
export interface Snapshot {
  carried: Carried;
  now: number;
}

const deadlines = createDeadlineActivities({ procedures, namespaceRetentionMs: 24 * 3600 * 1000 });

function load(snapshot: Snapshot): ComplaintState {
  const hooks = { now: () => snapshot.now, upsert: () => undefined, memo: () => undefined, details: () => undefined, serviceNorms: () => true };
  return ComplaintState.resume(structuredClone(snapshot.carried), hooks);
}

/** The outbox sent at once: every e-mail delivered, with what its sending means for the dossier. */
function deliverAll(state: ComplaintState): void {
  for (const item of [...state.outbox]) sent(state, item, { messageId: `<${item.mail.input.step}>`, subject: item.mail.input.step });
  state.sync();
}

const snapshotOf = (state: ComplaintState, now: number): Snapshot => ({ carried: state.carry(), now });

export async function received(overrides: Partial<ComplaintInput>): Promise<Snapshot> {
  const input = complaintInput(overrides);
  const now = Date.parse(input.receivedAt);
  const state = ComplaintState.received(input, { now: () => now, upsert: () => undefined, memo: () => undefined, details: () => undefined, serviceNorms: () => true });
  const facts = await deadlines.intake({ procedure: input.procedure, receivedAt: input.receivedAt });
  state.open(facts);
  const mail = mailer(state);
  mail.receipt();
  mail.newComplaint(facts.rules.notifyManagerOnReceipt);
  deliverAll(state);
  return snapshotOf(state, now);
}

/** An action at the snapshot's moment: the new snapshot, or the guard's refusal. */
export async function take<K extends ActionName>(snapshot: Snapshot, name: K, input: BodyOf<K>, actor: Actor): Promise<Snapshot | Refusal> {
  const state = load(snapshot);
  const refusal = refusalFor(name, state.dossier, { actor, input }, snapshot.now);
  if (refusal) return refusal;
  await perform(state, name, { actor, input: input as never }, { mail: mailer(state), deadlines });
  deliverAll(state);
  return snapshotOf(state, snapshot.now);
}

/** Time moves on to what comes next: the next alarm, which then fires, or a planned hearing. */
export function advance(snapshot: Snapshot): Snapshot | undefined {
  const state = load(snapshot);
  if (state.closed) return undefined;
  const alarm = nextAlarm(state);
  const hearing = state.dossier.hearings.filter((h) => !h.held && Date.parse(h.at) > snapshot.now).map((h) => Date.parse(h.at)).sort()[0];
  if (hearing !== undefined && (!alarm || hearing < Date.parse(alarm.at))) return snapshotOf(state, hearing);
  if (!alarm) return undefined;
  const at = Math.max(snapshot.now, Date.parse(alarm.at));
  const moved = load({ carried: state.carry(), now: at });
  fire(moved, { ...alarm }, mailer(moved));
  deliverAll(moved);
  return snapshotOf(moved, at);
}

export const isRefusal = (result: Snapshot | Refusal): result is Refusal => 'code' in result;
