import { type Refusal, type RefusalCode, refusalCodes, refusalStatus, refusalText, wording } from '../../domain/refusals';
import { languages } from '../../domain/vocabulary';
import { procedures } from '../support/machine';

// Every refusal is a code with data, worded in Dutch and in English from one table. A new code
// without an example here does not compile; one without words in a language fails here.
const examples: { [K in RefusalCode]: Extract<Refusal, { code: K }> } = {
  InvalidRequest: { code: 'InvalidRequest', problems: [{ field: 'text', rule: 'at most 2000 characters' }] },
  IdempotencyKeyReused: { code: 'IdempotencyKeyReused' },
  ComplaintClosed: { code: 'ComplaintClosed', closedOn: '2026-12-02' },
  NotClosedYet: { code: 'NotClosedYet' },
  DestructionUnderway: { code: 'DestructionUnderway', since: '2026-12-02' },
  NotYourAction: { code: 'NotYourAction', audience: 'complainant' },
  LinkRevoked: { code: 'LinkRevoked' },
  LinkScopeMissing: { code: 'LinkScopeMissing', scope: 'withdraw' },
  RoleRequired: { code: 'RoleRequired', roles: ['manager', 'director'] },
  ActorInvolved: { code: 'ActorInvolved', staffId: 'henk' },
  AssigneeInvolved: { code: 'AssigneeInvolved', staffId: 'henk' },
  HandlerInvolved: { code: 'HandlerInvolved', staffId: 'hanna' },
  RateLimited: { code: 'RateLimited', limit: 20, until: '2026-12-03T09:15:00.000Z' },
  DossierFull: { code: 'DossierFull', limitBytes: 1_500_000 },
  NoPositionYet: { code: 'NoPositionYet' },
  PositionAlreadySent: { code: 'PositionAlreadySent', sentOn: '2026-12-01' },
  HearingNotHeld: { code: 'HearingNotHeld', number: 1, at: '2026-12-04T13:00:00.000Z' },
  HearingRequired: { code: 'HearingRequired', level: 1 },
  HearingInPast: { code: 'HearingInPast', at: '2026-12-01T13:00:00.000Z' },
  NoSuchHearing: { code: 'NoSuchHearing', number: 3 },
  HearingAlreadyHeld: { code: 'HearingAlreadyHeld', number: 1, heldOn: '2026-12-04' },
  HearingNotYet: { code: 'HearingNotYet', number: 1, at: '2026-12-04T13:00:00.000Z' },
  TermNotRunning: { code: 'TermNotRunning', term: 'firstContact', running: ['resolve', 'maxLeadTime'] },
  TermAlreadyMet: { code: 'TermAlreadyMet', term: 'resolve', metOn: '2026-12-01' },
  NewDateNotLater: { code: 'NewDateNotLater', newDate: '2026-12-10', currentDate: '2026-12-14' },
  NewDatePassed: { code: 'NewDatePassed', newDate: '2026-11-30' },
  ReceivedInFuture: { code: 'ReceivedInFuture', at: '2026-12-05T09:00:00.000Z' },
  ReceivedBeforeComplaint: { code: 'ReceivedBeforeComplaint', at: '2026-01-05T09:00:00.000Z' },
  ContactInFuture: { code: 'ContactInFuture', at: '2026-12-05T09:00:00.000Z' },
  NoAgreementsToConfirm: { code: 'NoAgreementsToConfirm' },
  ReopeningNotInProcedure: { code: 'ReopeningNotInProcedure' },
  ReopeningAlreadyAsked: { code: 'ReopeningAlreadyAsked', askedOn: '2026-05-12' },
  ReopeningNotNow: { code: 'ReopeningNotNow' },
  ReopeningWindowClosed: { code: 'ReopeningWindowClosed', closedOn: '2026-05-26' },
  NoReopeningRequest: { code: 'NoReopeningRequest' },
  ReopeningReasonRequired: { code: 'ReopeningReasonRequired' },
  SuspensionNotInProcedure: { code: 'SuspensionNotInProcedure' },
  AlreadySuspended: { code: 'AlreadySuspended', since: '2026-05-12', answerBy: '2026-05-19' },
  NothingToSuspend: { code: 'NothingToSuspend', terms: ['resolve'] },
  AnswerDateNotLater: { code: 'AnswerDateNotLater', answerBy: '2026-05-12' },
  NotSuspended: { code: 'NotSuspended' },
  ContactBeforeComplaint: { code: 'ContactBeforeComplaint', at: '2026-01-05T09:00:00.000Z' },
  NoLetterToPost: { code: 'NoLetterToPost', letter: 2 },
  MailAlreadyReceived: { code: 'MailAlreadyReceived' },
  NoSuchMail: { code: 'NoSuchMail' },
  NothingToJudge: { code: 'NothingToJudge', mail: 4 },
  NothingToComplete: { code: 'NothingToComplete' },
  DetailsMissing: { code: 'DetailsMissing', fields: ['address'] },
  PostedInFuture: { code: 'PostedInFuture', at: '2026-12-05T09:00:00.000Z' },
  PostedBeforeLetter: { code: 'PostedBeforeLetter', at: '2026-12-01T09:00:00.000Z', readyAt: '2026-12-02T09:00:00.000Z' },
  AlreadyAnswered: { code: 'AlreadyAnswered', answeredOn: '2026-12-01', satisfied: false },
  WrittenConfirmationRequired: { code: 'WrittenConfirmationRequired' },
  AppealPending: { code: 'AppealPending', level: 1 },
  NoAppealRoute: { code: 'NoAppealRoute' },
  NoFurtherAppeal: { code: 'NoFurtherAppeal' },
  AppealWindowClosed: { code: 'AppealWindowClosed', level: 1, closedOn: '2026-12-01' },
  NoAppealAtLevel: { code: 'NoAppealAtLevel', level: 2 },
  AppealIsInternal: { code: 'AppealIsInternal', level: 1 },
  AppealIsExternal: { code: 'AppealIsExternal', level: 2 },
  AppealAlreadyDecided: { code: 'AppealAlreadyDecided', level: 1, decidedOn: '2026-12-01' },
  ReferralAlreadyRecorded: { code: 'ReferralAlreadyRecorded', level: 2, recordedOn: '2026-12-01' },
  RootCauseRequired: { code: 'RootCauseRequired' },
  CauseCommunicationRequired: { code: 'CauseCommunicationRequired', missing: ['communicatedOn'] },
  AnswerPeriodRunning: { code: 'AnswerPeriodRunning', until: '2027-01-04' },
};

const klassewerk = procedures.get('klassewerk')!;

describe('refusals', () => {
  it('has an example of every code in the table, and no example of a code it lacks', () => {
    expect(Object.keys(examples).sort()).toEqual([...refusalCodes].sort());
  });

  it.each(refusalCodes)('%s is worded in Dutch and in English, with its data in the words', (code) => {
    const refusal = examples[code];
    const texts = languages.map((language) => refusalText(refusal, wording(language, 'Europe/Amsterdam', klassewerk.appeals), language));
    for (const text of texts) {
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/undefined|NaN|\[object|\$\{/);
      expect(text).toMatch(/[.!?]$/);
    }
    expect(texts[0]).not.toBe(texts[1]);
    expect([403, 409, 422, 429]).toContain(refusalStatus(refusal));
  });

  it('words dates as local dates in words, and levels and terms by their names, never a key', () => {
    const w = (language: 'nl' | 'en') => wording(language, 'Europe/Amsterdam', klassewerk.appeals);
    expect(refusalText(examples.ComplaintClosed, w('nl'), 'nl')).toBe('De klacht is afgesloten op woensdag 2 december 2026.');
    expect(refusalText(examples.AppealPending, w('nl'), 'nl')).toBe('Het beroep bij Simone Haven, directeur Klassewerk Onderwijstraining loopt nog; de uitspraak daarover beantwoordt dit.');
    expect(refusalText(examples.AppealIsExternal, w('en'), 'en')).toBe('The appeal to Geschillencommissie lies with an external body: record its outcome with record-external-outcome.');
    expect(refusalText(examples.TermNotRunning, w('nl'), 'nl')).toBe(
      'De termijn voor het eerste contact loopt niet bij deze klacht; wel: het schriftelijk standpunt, de afhandeling van de klacht.',
    );
    // An instant on the Dutch clock: 13:00 UTC is 14:00 in Amsterdam in winter.
    expect(refusalText(examples.HearingNotHeld, w('nl'), 'nl')).toContain('4 december 2026 om 14:00');
  });
});
