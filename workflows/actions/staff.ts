// What staff actions do to the complaint.
import type { staffActions } from '../../domain/actions/staff';
import type { TermName } from '../../domain/dossier';
import { patched } from '@temporalio/workflow';
import { currentDue } from '../../domain/lifecycle';
import { localDateOf } from '../../domain/local-date';
import { posted } from '../outbox';
import { resume, suspend } from '../suspension';
import { decideReopening } from '../reopening';
import { answerSatisfaction } from './complainant';
import type { Effects } from './effect';

export const staffEffects: Effects<keyof typeof staffActions> = {
  assign(state, { handler }, { actor }) {
    state.dossier.handler = handler;
    state.record(actor, 'assigned', { detail: handler });
  },
  addInvolved(state, { name, staffId, role }, { actor }) {
    state.dossier.involved.push({ name, ...(staffId ? { staffId } : {}), ...(role ? { role } : {}) });
    state.record(actor, 'involved-added', { detail: role ? `${name} (${role})` : name, internal: true });
  },
  judgeMail(state, { mail, belongs }, { actor }) {
    // Since 1.5 (issue 16): no earlier complaint had an e-mail come in.
    patched('judge-mail');
    const entry = state.dossier.correspondence[mail]!;
    entry.judged = { belongs, by: actor, at: state.now() };
    state.record(actor, 'mail-judged', { detail: `${entry.step}: ${belongs ? 'belongs' : 'does not belong'}`, internal: true });
  },
  markPosted(state, { letter, at }, { actor }) {
    posted(state, letter, at ? new Date(at).toISOString() : state.now(), actor);
  },
  logContact(state, { channel, summary, at, agreements, confirmInWriting }, { actor, mail }) {
    // From 1.3 a contact may be logged after it happened: the term is met at the moment it happened.
    const happened = at && patched('contact-moment') ? new Date(at).toISOString() : undefined;
    state.record(actor, 'contact', { detail: happened ? `${channel}, ${happened}: ${summary}` : `${channel}: ${summary}` });
    state.meet('firstContact', happened);
    // From 1.6 a contact may carry agreements: on the dossier for the complainant, and in writing
    // where the procedure says so (Babbage always; Klassewerk when they wish) or staff choose it.
    if (agreements && patched('agreements-in-writing')) {
      const contact = state.dossier.timeline.filter((e) => e.event === 'agreements').length + 1;
      state.record(actor, 'agreements', { detail: agreements });
      const rule = state.dossier.rules.agreementsInWriting;
      if (rule === 'always' || confirmInWriting) mail.agreements(contact, happened ?? state.now(), channel, agreements);
    }
  },
  scheduleHearing(state, { at, mode, location, attendees, level }, { actor, mail }) {
    const when = new Date(at).toISOString();
    const hearing = {
      number: state.dossier.hearings.length + 1,
      at: when,
      mode,
      ...(location ? { location } : {}),
      ...(attendees?.length ? { attendees } : {}),
      ...(level ? { level } : {}),
      scheduledAt: state.now(),
      by: actor,
    };
    state.dossier.hearings.push(hearing);
    state.record(actor, 'hearing-scheduled', { detail: `${when} ${mode}${level ? ` (appeal level ${level})` : ''}` });
    mail.hearing(hearing);
  },
  recordHearing(state, { hearing: number, report }, { actor }) {
    const hearing = state.dossier.hearings.find((h) => h.number === number)!;
    hearing.held = { at: hearing.at, by: actor, report };
    state.record(actor, 'hearing-held', { detail: `hearing ${number}` });
  },
  decideReopening: (state, { accept, reason }, { actor, mail, deadlines }) => decideReopening(state, accept, reason, actor, { mail, deadlines }),
  suspend: (state, { question, answerBy }, { actor, mail, deadlines }) => suspend(state, question, answerBy, actor, { mail, deadlines }),
  async endSuspension(state, { note }, { actor, mail, deadlines }) {
    if (note) state.record(actor, 'note', { detail: note, internal: true });
    await resume(state, 'staff', actor, { mail, deadlines });
  },
  async extendTerm(state, { term: termName, newDate, reason }, { actor, mail, deadlines }) {
    const name = termName as TermName;
    const term = state.dossier.terms[name]!;
    const from = currentDue(term);
    const planned = await deadlines.extendTerm({
      procedure: state.dossier.procedure,
      term: name,
      from,
      newDate,
      at: state.now(),
      ...(term.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: term.noticeWorkingDaysBefore } : {}),
    });
    const extension = { ...planned.extension, by: actor, reason };
    state.extend(name, extension, planned.trace, planned.alarms);
    state.record(actor, 'term-extended', { detail: `${name}: ${from.date} → ${extension.to} (notice ${extension.notice})` });
    mail.delayNotice(name, extension);
  },
  async sendPosition(state, { text, solution, agreements, hearingSkipped }, { actor, mail, deadlines }) {
    const { dossier } = state;
    const at = state.now();
    dossier.position = { at, by: actor, text, ...(solution ? { solution } : {}), ...(agreements ? { agreements } : {}), ...(hearingSkipped ? { hearingSkipped } : {}) };
    state.meet('resolve', at);
    state.meet('maxLeadTime', at);
    if (hearingSkipped) state.record(actor, 'hearing-skipped', { detail: hearingSkipped, internal: true });
    state.record(actor, 'position-sent', { at });
    const after = await deadlines.afterPosition({ procedure: dossier.procedure, at, satisfactionTerm: dossier.satisfactionTerm, ...(dossier.route[0] ? { level1: dossier.route[0] } : {}) });
    state.plan('satisfaction', after.satisfaction);
    if (after.appeal1File) state.plan('appeal1File', after.appeal1File);
    mail.position();
  },
  recordCause(state, { cause, measures, communicatedHow, communicatedOn }, { actor }) {
    state.dossier.cause = { at: state.now(), by: actor, cause, measures, ...(communicatedHow ? { communicatedHow } : {}), ...(communicatedOn ? { communicatedOn } : {}) };
    state.record(actor, 'cause-recorded', { internal: true });
  },
  recordSatisfaction: (state, { satisfied, channel, receivedAt, comment }, { actor, mail }) =>
    answerSatisfaction(state, { at: state.now(), satisfied, ...(comment ? { comment } : {}), by: actor, channel, receivedAt: new Date(receivedAt).toISOString() }, mail),
  recordWithdrawal(state, { channel, receivedAt, statement }, { actor }) {
    state.record(actor, 'withdrawal-received', { detail: `${channel}, ${new Date(receivedAt).toISOString()}: ${statement}` });
    state.close('withdrawn', actor);
  },
  close: (state, { outcome, text }, { actor }) => state.close(outcome, actor, text),
  addNote: (state, { text }, { actor }) => state.record(actor, 'note', { detail: text, internal: true }),
  revokeLinks(state, { reason }, { actor, mail }) {
    const { dossier } = state;
    dossier.linkGeneration = (dossier.linkGeneration ?? 0) + 1;
    state.record(actor, 'links-revoked', { detail: reason, internal: true });
    mail.newLink();
  },
  destroyEarly(state, { reason }, { actor }) {
    const at = state.now();
    const { dossier } = state;
    dossier.destroyedEarly = { at, by: actor, reason, ...(dossier.destroyOn ? { plannedOn: dossier.destroyOn } : {}) };
    dossier.destroyOn = localDateOf(new Date(at), dossier.timezone);
    state.record(actor, 'destroyed-early', { at, detail: reason, internal: true });
  },
};
