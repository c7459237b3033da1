// What the complaint workflow waits for next: pure planning over its state, no commands.
import type { StaffTermEmailKind } from '../activities/email';
import type { DossierTermName, TimedTerm } from '../domain/dossier';

/** Staff alarms on running terms, and the complainant's windows after the position or a decision. */
export type AlarmKind = Exclude<StaffTermEmailKind, 'new-complaint' | 'appeal-filed'> | 'breach' | 'satisfaction-due' | 'windows-closed' | 'level-window-closed';

export interface Alarm {
  at: number;
  term: DossierTermName;
  kind: AlarmKind;
  /** The extension the term is in: alarms of an extended term fire anew. */
  generation: number;
}

/** A term with timers: its current dates (moved by extensions) and which of them it missed. */
export interface RunningTerm {
  term: TimedTerm;
  generation: number;
  /** The generation whose due date passed unmet: escalation follows, until an extension moves it. */
  breachedInGeneration?: number;
}

/** Every alarm acts once; keys of the first generation are those of the releases before extensions. */
export const alarmKey = (alarm: Pick<Alarm, 'term' | 'kind' | 'generation'>): string =>
  alarm.generation === 0 ? `${alarm.term}:${alarm.kind}` : `${alarm.term}:${alarm.kind}:${alarm.generation}`;

export interface AlarmCandidates {
  add(term: DossierTermName, kind: AlarmKind, at: string | undefined, generation?: number): void;
  earliest(): Alarm | undefined;
}

/** Collects the alarms still to act on and picks the earliest; ties keep the order they were added in. */
export function alarmCandidates(fired: ReadonlySet<string>): AlarmCandidates {
  const candidates: Alarm[] = [];
  return {
    add(term, kind, at, generation = 0) {
      const alarm = { at: at ? Date.parse(at) : NaN, term, kind, generation };
      if (at && !fired.has(alarmKey(alarm))) candidates.push(alarm);
    },
    earliest: () => candidates.sort((a, b) => a.at - b.at)[0],
  };
}

/** The alarms of one running term: reminders and breach while it runs; the escalation once it was missed. */
export function planTerm(candidates: AlarmCandidates, name: DossierTermName, running: RunningTerm): void {
  const { term, generation } = running;
  if (running.breachedInGeneration === generation) {
    candidates.add(name, 'escalation', term.escalationAt, generation);
    return;
  }
  candidates.add(name, 'reminder', term.reminderAt, generation);
  candidates.add(name, 'notice-reminder', term.noticeReminderAt, generation);
  candidates.add(name, 'breach', term.dueAt, generation);
}

/** A one-line summary of a timer for the Temporal UI. */
export function alarmSummary(alarm: Alarm): string {
  const what: Record<AlarmKind, string> = {
    reminder: 'reminder to staff',
    'notice-reminder': 'delay-notice reminder to staff',
    breach: 'term ends',
    escalation: 'escalation to the manager',
    'satisfaction-due': '"satisfied?" reminder',
    'windows-closed': 'answer and appeal windows close',
    'level-window-closed': 'appeal window closes',
  };
  return `${what[alarm.kind]}: ${alarm.term}`;
}
