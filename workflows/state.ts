// The complaint's state: its dossier, the alarms of its clocks, the outbox. The only place that
// changes the status, the outcome and the search attributes. Plain code over injected hooks, so
// that pure tests run it outside a workflow too.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { IntakeFacts } from '../activities/deadlines';
import type { ComplaintInput } from '../domain/complaint';
import type { ClockAlarm, PlannedTerm } from '../domain/deadlines';
import type { Dossier, DossierTerm, TermExtension, TermName, TimelineEntry } from '../domain/dossier';
import { closesAt, currentDue, statusOf, suspendedNow } from '../domain/lifecycle';
import { registerMemoKeys, registerMemoOf } from '../domain/register';
import type { ComplaintOutcome as Outcome } from '../domain/vocabulary';
import type { OutboxItem, PendingLetter } from './outbox';
import { visibleAttributes } from './visibility';

/** What a workflow (or a pure test) lends the state: its clock and its view in visibility. */
export interface StateHooks {
  now(): number;
  upsert(pairs: SearchAttributeUpdatePair[]): void;
  /** The register's memo keys that changed (encrypted by the codec: personal data may go here, never in search attributes). */
  memo(fields: Record<string, unknown>): void;
  details(line: string): void;
  /** Whether the memo names the next term (from 1.4, patched 'memo-next-term'); absent: it does not. */
  nextInMemo?(): boolean;
  /** Whether an aim's end is a missed target, not a breach (from 1.6, patched 'service-norms'); absent: it is. */
  serviceNorms?(): boolean;
}

/** Everything a complaint is, handed from one run to the next when it continues as new. */
export interface Carried {
  dossier: Dossier;
  historyBudget?: number;
  /** The Idempotency-Keys of recent actions (keyed hashes) with their requests' fingerprints. */
  requests?: [string, string][];
  alarms: Partial<Record<TermName, ClockAlarm[]>>;
  fired: string[];
  outbox: OutboxItem[];
  /** Letters printed but not yet posted, whose posting meets a term or goes on record (from 1.5). */
  letters?: PendingLetter[];
  attributes: Record<string, string | boolean | null>;
  /** The register memo as last upserted, each key as JSON. */
  memo?: Record<string, string>;
}

/** Every alarm acts once per generation of its term (an extension starts a new one). */
export const alarmKey = (term: TermName, kind: ClockAlarm['kind'], generation: number): string =>
  generation === 0 ? `${term}:${kind}` : `${term}:${kind}:${generation}`;
export const generationOf = (term: DossierTerm): number => term.extensions?.length ?? 0;

export class ComplaintState {
  /** Bumped by every change: the clock loop plans again when it moves. */
  version = 0;
  /** The history events one run may hold (ComplaintInput.historyBudget). */
  historyBudget?: number;
  /** The Idempotency-Keys of the last actions (keyed hashes), with their requests' fingerprints. */
  readonly requests = new Map<string, string>();
  /** A suspension is ending (its new dates being planned): another end meanwhile finds none to end. */
  resuming = false;
  /** A closed complaint was reopened: the story leaves its retention and runs the clocks again. */
  reopenedAfterClosure = false;

  private constructor(
    readonly dossier: Dossier,
    readonly alarms: Partial<Record<TermName, ClockAlarm[]>>,
    readonly fired: Set<string>,
    readonly outbox: OutboxItem[],
    readonly letters: PendingLetter[],
    private readonly attributes: Record<string, string | boolean | null>,
    private readonly memo: Record<string, string>,
    private readonly hooks: StateHooks,
    /** Intake done: terms, rules and route are known, guards can run. */
    public ready: boolean,
  ) {}

  /**
   * A new complaint, as the intake gives it; `open` completes it with its procedure's facts (the
   * clock, rules and route here are placeholders until then: only an update that came with the
   * very first task could see them, and it waits for `ready`).
   */
  static received(input: ComplaintInput, hooks: StateHooks): ComplaintState {
    const { complainant, description, channel, category, whatHappened, expected, occurredOn, registeredBy, mail, attachments, incomplete } = input;
    const complaint = { complainant, description, channel, category, whatHappened, expected, occurredOn, registeredBy, mail, attachments, incomplete };
    const dossier: Dossier = {
      reference: input.reference,
      procedure: input.procedure,
      language: input.language,
      timezone: '',
      complaint: JSON.parse(JSON.stringify(complaint)) as Dossier['complaint'],
      status: 'received',
      receivedAt: input.receivedAt,
      involved: [],
      terms: {},
      rules: { requireRootCause: false, satisfactionRequiredToClose: false },
      route: [],
      satisfactionTerm: { within: 10, unit: 'workingDays', target: false },
      hearings: [],
      appeals: [],
      timeline: [{ at: input.receivedAt, actor: registeredBy ?? 'complainant', event: 'received', detail: `channel ${channel}` }],
      correspondence: [],
    };
    const state = new ComplaintState(dossier, {}, new Set(), [], [], {}, {}, hooks, false);
    if (input.historyBudget) state.historyBudget = input.historyBudget;
    return state;
  }

  static resume(carried: Carried, hooks: StateHooks): ComplaintState {
    const state = new ComplaintState(carried.dossier, carried.alarms, new Set(carried.fired), carried.outbox, carried.letters ?? [], carried.attributes, carried.memo ?? {}, hooks, true);
    if (carried.historyBudget) state.historyBudget = carried.historyBudget;
    for (const [key, fingerprint] of carried.requests ?? []) state.requests.set(key, fingerprint);
    return state;
  }

  carry(): Carried {
    const { dossier, alarms, outbox, letters, attributes, memo, historyBudget } = this;
    const requests = [...this.requests];
    return {
      dossier,
      alarms,
      fired: [...this.fired],
      outbox,
      ...(letters.length ? { letters } : {}),
      attributes,
      memo,
      ...(historyBudget ? { historyBudget } : {}),
      ...(requests.length ? { requests } : {}),
    };
  }

  /** Remembers the request an Idempotency-Key was used for; the last 200 are kept. */
  remember(request: { key: string; fingerprint: string }): void {
    this.requests.set(request.key, request.fingerprint);
    if (this.requests.size > 200) this.requests.delete(this.requests.keys().next().value!);
  }

  /** The procedure's facts at intake: its clock, rules, route and the terms that run from receipt. */
  open(facts: IntakeFacts): void {
    const { requireRootCause, satisfactionRequiredToClose, showInvolvedPeople, causeCommunication, agreementsInWriting, suspension, reopening } = facts.rules;
    const rules = {
      requireRootCause,
      satisfactionRequiredToClose,
      ...(showInvolvedPeople ? { showInvolvedPeople } : {}),
      ...(causeCommunication ? { causeCommunication } : {}),
      ...(agreementsInWriting ? { agreementsInWriting } : {}),
      ...(suspension ? { suspension } : {}),
      ...(reopening ? { reopening } : {}),
    };
    Object.assign(this.dossier, { timezone: facts.timezone, rules, route: facts.route, satisfactionTerm: facts.satisfactionTerm });
    for (const [name, planned] of Object.entries(facts.terms) as [TermName, PlannedTerm][]) this.plan(name, planned);
    this.ready = true;
  }

  get closed(): boolean {
    return this.dossier.outcome !== undefined;
  }

  /** The workflow's time (a pure test's own clock), as epoch milliseconds and as an ISO instant. */
  clock(): number {
    return this.hooks.now();
  }

  now(): string {
    return new Date(this.clock()).toISOString();
  }

  record(actor: string, event: string, options: Omit<TimelineEntry, 'actor' | 'event' | 'at'> & { at?: string } = {}): void {
    const { at = this.now(), ...rest } = options;
    this.dossier.timeline.push({ at, actor, event, ...rest });
    this.version++;
  }

  /** Starts a term or window with its alarms. */
  plan(name: TermName, planned: PlannedTerm): void {
    this.dossier.terms[name] = planned.term;
    this.alarms[name] = planned.alarms;
    this.version++;
  }

  /** A term or window set aside (a reopened complaint's round before): gone, with its alarms and what they did. */
  forget(name: TermName): void {
    delete this.dossier.terms[name];
    delete this.alarms[name];
    for (const key of [...this.fired]) if (key.startsWith(`${name}:`)) this.fired.delete(key);
    this.version++;
  }

  /** A term moved to a new date: a new generation whose alarms fire anew. */
  extend(name: TermName, extension: TermExtension, trace: string[], alarms: ClockAlarm[]): void {
    const term = this.dossier.terms[name]!;
    term.extendedTo = extension.to;
    term.trace = [...term.trace, ...trace];
    (term.extensions ??= []).push(extension);
    this.alarms[name] = alarms;
    this.version++;
  }

  /** Met, at an instant; met late is still a breach (or, for an aim, a missed target), and stays on record as one. */
  meet(name: TermName, at = this.now()): void {
    const term = this.dossier.terms[name];
    if (!term || term.metAt || term.lapsedAt) return;
    term.metAt = at;
    const { dueAt } = currentDue(term);
    if (term.kind === 'term' && term.aim && Date.parse(at) > Date.parse(term.aim.dueAt)) this.missTarget(name, term.aim.dueAt);
    if (term.kind === 'term' && !term.breachedAt && Date.parse(at) > Date.parse(dueAt)) {
      if (term.target && this.hooks.serviceNorms?.()) this.missTarget(name, dueAt);
      else this.breach(name, dueAt);
    }
    this.version++;
  }

  /** An aim passed unmet: a fact for the report, never an escalation; the first miss stays the term's. */
  missTarget(name: TermName, at: string): void {
    const term = this.dossier.terms[name]!;
    if (term.targetMissedAt || !this.hooks.serviceNorms?.()) return;
    term.targetMissedAt = at;
    this.record('klachtflow', 'target-missed', { at, detail: name, internal: true });
  }

  /** A missed term is a fact for the report: recorded at once; the first breach stays the term's. */
  breach(name: TermName, at: string): void {
    const term = this.dossier.terms[name]!;
    const again = term.breachedAt !== undefined;
    term.breachedAt ??= at;
    this.record('klachtflow', 'term-breached', { at, detail: again ? `${name} (extended to ${term.extendedTo})` : name });
  }

  /** A complainant's window passed without them acting: at the instant it closed, however late the workflow gets to it. */
  lapse(name: TermName): void {
    const term = this.dossier.terms[name];
    if (!term || term.metAt || term.lapsedAt) return;
    term.lapsedAt = closesAt(term);
    this.version++;
  }

  close(outcome: Outcome, actor: string, detail?: string): void {
    if (this.closed) return;
    const at = this.now();
    this.dossier.outcome = outcome;
    this.dossier.closedAt = at;
    this.record(actor, 'closed', { at, detail: detail ? `${outcome}: ${detail}` : outcome });
  }

  /** The status from the facts, and visibility (search attributes, register memo) brought in line with the dossier. */
  sync(): void {
    const dossier = this.dossier;
    dossier.status = statusOf(dossier);
    // A closing becomes visible once, together with its destroy date, which the story computes next.
    if (this.closed && dossier.destroyOn === undefined) return;
    const want = visibleAttributes(dossier, this.closed ? undefined : this.nextTerm()?.due);
    const pairs: SearchAttributeUpdatePair[] = [];
    for (const [key, value, typed] of want) {
      const had = this.attributes[key.name];
      if (had === value || (had === undefined && value === null)) continue;
      this.attributes[key.name] = value;
      pairs.push({ key, value: value === null ? null : typed(value) } as SearchAttributeUpdatePair);
    }
    if (pairs.length) this.hooks.upsert(pairs);
    this.syncMemo();
  }

  /** The register memo's keys that changed since the last upsert (a note or a query changes none). */
  private syncMemo(): void {
    const memo = registerMemoOf(this.dossier);
    const changed: Record<string, unknown> = {};
    for (const key of registerMemoKeys) {
      const value = memo[key];
      if (value === undefined) continue;
      const json = JSON.stringify(value);
      if (this.memo[key] === json) continue;
      this.memo[key] = json;
      changed[key] = value;
    }
    // The work queue's "next term in words": which term the next deadline is, and when (null once there is none).
    if (this.hooks.nextInMemo?.()) {
      const next = this.closed ? undefined : this.nextTerm();
      const json = JSON.stringify(next ?? null);
      if (this.memo.next !== json && !(this.memo.next === undefined && next === undefined)) {
        this.memo.next = json;
        changed.next = next ?? null;
      }
    }
    if (Object.keys(changed).length) this.hooks.memo(changed);
  }


  /** The staff term due first (its name and due instant): still running, not yet missed in its current generation, not about to be met by an e-mail. */
  private nextTerm(): { term: TermName; due: string } | undefined {
    const beingMet = this.beingMet();
    const due = (Object.entries(this.dossier.terms) as [TermName, DossierTerm][])
      .filter(([name, t]) => t.kind === 'term' && !t.metAt && !beingMet.has(name) && !suspendedNow(this.dossier, name) && !this.fired.has(alarmKey(name, 'breach', generationOf(t))) && !(t.target && this.fired.has(alarmKey(name, 'target', generationOf(t)))))
      .map(([term, t]) => ({ term, due: currentDue(t).dueAt }));
    // The earliest instant; on a tie, the first term in the dossier's order (as the sorted list of instants gave).
    return due.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))[0];
  }

  /** The terms an e-mail in the outbox meets once it is sent (the receipt: acknowledge). */
  beingMet(): Set<TermName | undefined> {
    return new Set(this.outbox.map((item) => item.onSent?.meets));
  }

  describe(line: string): void {
    this.hooks.details(line);
  }
}
