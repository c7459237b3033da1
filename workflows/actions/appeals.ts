// What the appeal route does: an appeal opens its level; a decision closes the complaint, or
// opens the window to appeal to the next level.
import type { appealActions } from '../../domain/actions/appeals';
import type { AppealRecord } from '../../domain/dossier';
import { nextAppealLevel } from '../../domain/lifecycle';
import { appealDecideTerm, appealFileTerm } from '../../domain/vocabulary';
import type { ComplaintState } from '../state';
import type { ActionContext, Effects } from './effect';

/** After a decision at a level: closed where it is final or the route ends, else the window to the next level opens. */
async function afterDecision(state: ComplaintState, appeal: AppealRecord, final: boolean, ctx: ActionContext): Promise<void> {
  const { dossier } = state;
  const next = dossier.route.find((l) => l.level === appeal.level + 1);
  if (final || !next) {
    state.close(appeal.kind === 'internal' ? 'appeal_decided' : 'external_decided', 'klachtflow');
    return ctx.mail.appealDecision(appeal);
  }
  // A level without its own term is open as long as the satisfaction term (SPEC §4).
  const window = await ctx.deadlines.levelTerm({
    procedure: dossier.procedure,
    kind: 'window',
    term: next.fileWithin ?? dossier.satisfactionTerm,
    anchorLabel: `level ${appeal.level} decided`,
    at: state.now(),
  });
  state.plan(appealFileTerm(next.level), window);
  ctx.mail.appealDecision(appeal, { level: next.level, by: window.term.date });
}

export const appealEffects: Effects<keyof typeof appealActions> = {
  async fileAppeal(state, { grounds }, ctx) {
    const { level } = nextAppealLevel(state.dossier)!;
    const at = state.now();
    const appeal: AppealRecord = { level: level.level, kind: level.body.kind, body: level.body.name, filedAt: at, grounds };
    state.dossier.appeals.push(appeal);
    state.meet(appealFileTerm(level.level), at);
    // An appeal answers "satisfied?" too.
    if (level.level === 1) state.meet('satisfaction', at);
    state.record('complainant', 'appeal-filed', { detail: `level ${level.level}: ${level.body.name}` });
    if (level.body.kind === 'internal' && level.decideWithin) {
      const decide = await ctx.deadlines.levelTerm({ procedure: state.dossier.procedure, kind: 'term', term: level.decideWithin, anchorLabel: 'appeal filed', at });
      state.plan(appealDecideTerm(level.level), decide);
    }
    ctx.mail.appealReceived(appeal);
  },
  async decideAppeal(state, { level, decision, text, hearingSkipped }, ctx) {
    const appeal = state.dossier.appeals.find((a) => a.level === level)!;
    const at = state.now();
    appeal.decision = { at, by: ctx.actor, decision, text, ...(hearingSkipped ? { hearingSkipped } : {}) };
    state.meet(appealDecideTerm(level), at);
    if (hearingSkipped) state.record(ctx.actor, 'hearing-skipped', { detail: hearingSkipped, internal: true });
    state.record(ctx.actor, 'appeal-decided', { detail: `level ${level}: ${decision}` });
    // Upheld: the complainant is proven right, and the procedure ends there.
    await afterDecision(state, appeal, decision === 'upheld', ctx);
  },
  recordExternalReferral(state, { level, caseNumber }, { actor }) {
    const appeal = state.dossier.appeals.find((a) => a.level === level)!;
    appeal.referral = { at: state.now(), by: actor, ...(caseNumber ? { caseNumber } : {}) };
    state.record(actor, 'external-referral', { detail: `level ${level}: ${appeal.body}${caseNumber ? `, case ${caseNumber}` : ''}` });
  },
  async recordExternalOutcome(state, { level, outcome, text }, ctx) {
    const appeal = state.dossier.appeals.find((a) => a.level === level)!;
    appeal.externalOutcome = { at: state.now(), by: ctx.actor, outcome, text };
    state.record(ctx.actor, 'external-outcome', { detail: `level ${level}: ${outcome}` });
    const binding = state.dossier.route.find((l) => l.level === level)?.body.binding ?? false;
    await afterDecision(state, appeal, binding || outcome === 'upheld' || outcome === 'settled', ctx);
  },
};
