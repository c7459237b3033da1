// What an action's effect is handed: the state to change, who acts, the mail to queue, the
// deadlines to ask. The guard has already passed (domain/actions).
import type { DeadlineActivities } from '../../activities/deadlines';
import type { ActionName, BodyOf } from '../../domain/actions';
import type { Mailer } from '../effects';
import type { ComplaintState } from '../state';

export interface ActionContext {
  /** The actor as the timeline names them: a staff id or `complainant`. */
  actor: string;
  mail: Mailer;
  deadlines: Pick<DeadlineActivities, 'afterPosition' | 'levelTerm' | 'extendTerm' | 'answerDate' | 'resumeTerms' | 'reopenTerms'>;
}

export type Effect<K extends ActionName> = (state: ComplaintState, input: BodyOf<K>, ctx: ActionContext) => void | Promise<void>;
export type Effects<N extends ActionName> = { [K in N]: Effect<K> };
