import { type ActionName, actionNames, type BodyOf } from '../../domain/actions';
import type { Dossier, TermName } from '../../domain/dossier';
import { currentDue, pendingAppeal, runningTerms, statusOf } from '../../domain/lifecycle';
import { addDays } from '../../domain/local-date';
import type { Actor } from '../../domain/vocabulary';
import { advance, isRefusal, procedures, received, type Snapshot, take } from '../support/machine';

// No stuck complaint: every state each seed procedure can reach, explored with the workflow's
// own guards, effects and clocks (and the real calendar), has a way out to `closed` that people
// take (not only a withdrawal, not only waiting); a "satisfied" can always be recorded unless an
// appeal is running, and an appeal running can always be decided.

const mira: Actor = { kind: 'staff', id: 'mira', roles: ['manager', 'handler'] };
const complainant: Actor = { kind: 'complainant' };

interface Move {
  name: ActionName;
  input: unknown;
  actor: Actor;
}
const move = <K extends ActionName>(name: K, input: BodyOf<K>, actor: Actor = mira): Move => ({ name, input, actor });

/** What people can try in a dossier: every action with the inputs that make a difference to where it leads. */
function movesFor(dossier: Dossier, now: number): Move[] {
  const at = new Date(now).toISOString();
  const tomorrow = new Date(now + 24 * 3600 * 1000).toISOString();
  const moves: Move[] = [
    move('assign', { handler: 'hanna' }),
    move('logContact', { channel: 'phone', summary: 'Gebeld' }),
    move('recordCause', { cause: 'Oorzaak', measures: 'Maatregel', communicatedHow: 'In het teamoverleg', communicatedOn: '2027-03-08' }),
    move('sendPosition', { text: 'Standpunt' }),
    move('sendPosition', { text: 'Standpunt', hearingSkipped: 'Afgezegd' }),
    move('recordSatisfaction', { satisfied: true, channel: 'email', receivedAt: at }),
    move('recordSatisfaction', { satisfied: false, channel: 'phone', receivedAt: at }),
    move('close', { outcome: 'no_response' }),
    move('respondSatisfaction', { satisfied: true }, complainant),
    move('respondSatisfaction', { satisfied: false }, complainant),
    move('fileAppeal', { grounds: 'Oneens' }, complainant),
  ];
  // A hearing on the complaint itself matters before the position; one per level while it runs.
  if (!dossier.position && !dossier.hearings.some((h) => h.level === undefined)) moves.push(move('scheduleHearing', { at: tomorrow, mode: 'teams' }));
  for (const hearing of dossier.hearings) moves.push(move('recordHearing', { hearing: hearing.number, report: 'Gehouden' }));
  for (const term of runningTerms(dossier)) {
    if (!dossier.terms[term]?.extensions) moves.push(move('extendTerm', { term, newDate: addDays(currentDue(dossier.terms[term]!).date, 7), reason: 'Later' }));
  }
  for (const { level } of dossier.route) {
    if (!dossier.hearings.some((h) => h.level === level)) moves.push(move('scheduleHearing', { at: tomorrow, mode: 'in-person', level }));
    // Upheld ends the route; a rejection (or a partial one) leads on to the next level.
    for (const decision of ['upheld', 'rejected'] as const) moves.push(move('decideAppeal', { level, decision, text: 'Beslissing' }));
    moves.push(move('decideAppeal', { level, decision: 'rejected', text: 'Beslissing', hearingSkipped: 'Afgezien' }));
    moves.push(move('recordExternalReferral', { level }));
    // Settled ends it; a rejection by a body whose word does not bind leads on.
    for (const outcome of ['settled', 'rejected'] as const) moves.push(move('recordExternalOutcome', { level, outcome, text: 'Uitkomst' }));
  }
  return moves;
}

/**
 * What of a dossier decides where it can go: two snapshots alike in these are one state. Who
 * handles it, a breach, an extension or a reminder sent change no way out; the complainant's
 * windows, the answers, the appeals, the hearings (and, where a procedure asks for it, the cause) do.
 */
function stateKey({ carried, now }: Snapshot): string {
  const d = carried.dossier;
  return JSON.stringify({
    status: d.status,
    outcome: d.outcome,
    position: d.position !== undefined,
    satisfaction: d.satisfaction && [d.satisfaction.satisfied, d.satisfaction.channel ?? 'link'],
    appeals: d.appeals.map((a) => [a.level, a.decision?.decision ?? a.externalOutcome?.outcome ?? (a.referral ? 'referred' : 'open')]),
    hearings: d.hearings.map((h) => [h.level, h.held !== undefined, Date.parse(h.at) <= now]),
    cause: d.rules.requireRootCause && d.cause !== undefined,
    windows: (Object.entries(d.terms) as [TermName, Dossier['terms'][TermName]][]).filter(([, t]) => t?.kind === 'window').map(([name, t]) => [name, t?.metAt ? 'met' : t?.lapsedAt ? 'lapsed' : 'open']),
    waitingForStaff: d.timeline.some((e) => e.event === 'no-response'),
  });
}

interface Edge {
  to: string;
  name: ActionName | 'clock';
  actor?: Actor['kind'];
}

/** Every state a procedure reaches from a complaint received on a quiet Monday, with the moves between them. */
async function explore(procedure: string, limit = 6000) {
  const start = await received({ procedure, receivedAt: '2027-03-01T09:00:00.000Z', complainant: { name: 'K', email: 'k@example.nl', type: 'uitzendkracht' } });
  const states = new Map<string, Snapshot>([[stateKey(start), start]]);
  const edges = new Map<string, Edge[]>();
  const queue = [stateKey(start)];
  while (queue.length) {
    const key = queue.shift()!;
    const snapshot = states.get(key)!;
    const out: Edge[] = [];
    edges.set(key, out);
    if (snapshot.carried.dossier.outcome) continue;
    const reach = (next: Snapshot, name: Edge['name'], actor?: Actor['kind']) => {
      const nextKey = stateKey(next);
      out.push({ to: nextKey, name, ...(actor ? { actor } : {}) });
      if (!states.has(nextKey)) {
        states.set(nextKey, next);
        queue.push(nextKey);
      }
    };
    for (const { name, input, actor } of movesFor(snapshot.carried.dossier, snapshot.now)) {
      const result = await take(snapshot, name, input as never, actor);
      if (!isRefusal(result)) reach(result, name, actor.kind);
    }
    // Time passes until something that matters happens: reminders and escalations change no way out.
    let later = advance(snapshot);
    while (later && stateKey(later) === key) later = advance(later);
    if (later) reach(later, 'clock');
    if (states.size > limit) throw new Error(`${procedure}: more than ${limit} states; the exploration would not be complete`);
  }
  return { states, edges };
}

/** The states from which `goal` is reached by the moves `allowed` takes (people's moves, unless told otherwise). */
function reachableBy(edges: Map<string, Edge[]>, goal: (key: string) => boolean, allowed: (edge: Edge) => boolean = (e) => e.name !== 'clock'): Set<string> {
  const good = new Set([...edges.keys()].filter(goal));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, out] of edges) {
      if (!good.has(key) && out.some((e) => allowed(e) && good.has(e.to))) {
        good.add(key);
        grew = true;
      }
    }
  }
  return good;
}

describe.each([...procedures.keys()].sort())('%s: no stuck complaint', (procedure) => {
  let explored: Awaited<ReturnType<typeof explore>>;
  beforeAll(async () => {
    explored = await explore(procedure);
  }, 120_000);
  const open = () => [...explored.states].filter(([, s]) => !s.carried.dossier.outcome);
  const outcomeOf = (key: string) => explored.states.get(key)!.carried.dossier.outcome;

  it('reaches every status and outcome its route allows', () => {
    const { appeals } = procedures.get(procedure)!;
    const internal = appeals.some((l) => l.body.kind === 'internal');
    const external = appeals.some((l) => l.body.kind !== 'internal');
    const statuses = new Set([...explored.states.values()].map((s) => statusOf(s.carried.dossier)));
    const outcomes = new Set([...explored.states.values()].map((s) => s.carried.dossier.outcome).filter(Boolean));
    console.log(`${procedure}: ${explored.states.size} states (${open().length} open); outcomes ${[...outcomes].join(', ')}`);
    expect([...statuses].sort()).toEqual(
      ['received', 'in_progress', 'awaiting_complainant', ...(internal ? ['in_appeal'] : []), ...(external ? ['with_external_body'] : []), 'closed'].sort(),
    );
    expect([...outcomes].sort()).toEqual(
      ['satisfied', 'no_response', 'dissatisfied', ...(internal ? ['appeal_decided'] : []), ...(external ? ['external_decided'] : [])].sort(),
    );
  });

  it('from every state people can bring the complaint to closed, without a withdrawal', () => {
    const canClose = reachableBy(explored.edges, (key) => outcomeOf(key) !== undefined);
    const stuck = open().filter(([key]) => !canClose.has(key)).map(([, s]) => s.carried.dossier.status);
    expect(stuck).toEqual([]);
  });

  it('from every state the complaint closes if the complainant says nothing more: staff and the clock bring it there', () => {
    // Nor through staff: what staff record of the complainant's word is the complainant speaking.
    const theirWord = new Set<Edge['name']>(['recordSatisfaction', 'recordWithdrawal']);
    const closes = reachableBy(explored.edges, (key) => outcomeOf(key) !== undefined, (e) => e.actor !== 'complainant' && !theirWord.has(e.name));
    const waiting = open().filter(([key]) => !closes.has(key)).map(([key]) => key);
    expect(waiting).toEqual([]);
  });

  it('from every state without a running appeal, the complainant\'s "satisfied" can be recorded and closes it', () => {
    const canSatisfy = reachableBy(explored.edges, (key) => outcomeOf(key) === 'satisfied');
    const unsatisfiable = open().filter(([key, s]) => !pendingAppeal(s.carried.dossier) && !canSatisfy.has(key)).map(([key]) => key);
    expect(unsatisfiable).toEqual([]);
  });

  it('every running appeal can be decided, and the complainant can always withdraw', async () => {
    const decides = new Set<Edge['name']>(['decideAppeal', 'recordExternalOutcome']);
    const decidable = reachableBy(explored.edges, (key) => explored.edges.get(key)!.some((e) => decides.has(e.name)));
    const undecidable = open().filter(([key, s]) => pendingAppeal(s.carried.dossier) && !decidable.has(key)).map(([key]) => key);
    expect(undecidable).toEqual([]);
    for (const [, snapshot] of open()) {
      expect(isRefusal(await take(snapshot, 'withdraw', {}, complainant))).toBe(false);
      const statement = { channel: 'phone' as const, receivedAt: new Date(snapshot.now).toISOString(), statement: 'Ik trek mijn klacht in' };
      expect(isRefusal(await take(snapshot, 'recordWithdrawal', statement, mira))).toBe(false);
    }
  });

  it('takes every action of the registry that moves a complaint somewhere', () => {
    const { appeals } = procedures.get(procedure)!;
    const taken = new Set([...explored.edges.values()].flat().map((e) => e.name));
    // Texts and people only add to the file; withdrawals are tried from every state above; an
    // early destruction acts on a closed complaint only (test/workflows/destruction.test.ts); revoked
    // links change who may read, not where the complaint is (test/api/link-scopes.test.ts); a letter is
    // posted for a complainant without an e-mail address only (test/workflows/letters.test.ts); an e-mail
    // comes in through the mailbox (test/e2e/mail-in.test.ts); a suspension holds terms and lets them
    // run on, with its own timer (test/workflows/suspension.test.ts); reopening needs a procedure that
    // has it, which no seed does (test/workflows/reopening.test.ts).
    const elsewhere = new Set<ActionName>(['withdraw', 'recordWithdrawal', 'addNote', 'addInformation', 'addInvolved', 'destroyEarly', 'revokeLinks', 'markPosted', 'receiveMail', 'completeDetails', 'mailBounced', 'judgeMail', 'suspend', 'endSuspension', 'requestReopening', 'decideReopening']);
    if (!appeals.some((l) => l.body.kind === 'internal')) elsewhere.add('decideAppeal');
    if (!appeals.some((l) => l.body.kind !== 'internal')) ['recordExternalReferral', 'recordExternalOutcome'].forEach((n) => elsewhere.add(n as ActionName));
    // Staff close what the complainant left unanswered only where the procedure leaves that to them.
    if (!procedures.get(procedure)!.rules.satisfactionRequiredToClose) elsewhere.add('close');
    expect(actionNames.filter((name) => !taken.has(name) && !elsewhere.has(name))).toEqual([]);
  });
});
