// Every refusal of an action: a code with its data, worded in Dutch and English from this one
// table, with the HTTP status the API answers. Guards return these values; the workflow throws
// them as ApplicationFailures of type `code`; the API and the pages word them. Nothing reads the words.
import { dateInWords, instantInWords } from './local-date';
import type { AppealLevel } from './procedure';
import { appealLabel, detailLabels, rolesInWords, termLabel } from './words';
import type { Audience, Language, StaffRole } from './vocabulary';

/** What a wording may say: dates in words on the procedure's clock, terms and levels by name. */
export interface Wording {
  date(date: string): string;
  instant(at: string): string;
  term(name: string): string;
  level(level: number): string;
  roles(roles: readonly StaffRole[]): string;
}

interface Entry<D> {
  /** 409 unless the request itself is at fault (422), not allowed (403), or too frequent (429). */
  status: 403 | 409 | 422 | 429;
  /** The request field a 422 is about. */
  field?: string;
  nl(data: D, w: Wording): string;
  en(data: D, w: Wording): string;
}
const entry = <D extends object = Record<never, never>>(e: Entry<D>): Entry<D> => e;

export const refusalTable = {
  InvalidRequest: entry<{ problems: { field: string; rule: string }[] }>({
    status: 422,
    nl: (d) => `Het verzoek klopt niet: ${d.problems.map((p) => `${p.field}: ${p.rule}`).join('; ')}.`,
    en: (d) => `The request is invalid: ${d.problems.map((p) => `${p.field}: ${p.rule}`).join('; ')}.`,
  }),
  IdempotencyKeyReused: entry({
    status: 422,
    field: 'Idempotency-Key',
    nl: () => 'Deze Idempotency-Key is al gebruikt voor een andere handeling; gebruik een nieuwe sleutel voor een nieuwe handeling.',
    en: () => 'This Idempotency-Key was used for another action; use a new key for a new action.',
  }),
  ComplaintClosed: entry<{ closedOn: string }>({
    status: 409,
    nl: (d, w) => `De klacht is afgesloten op ${w.date(d.closedOn)}.`,
    en: (d, w) => `The complaint was closed on ${w.date(d.closedOn)}.`,
  }),
  NotClosedYet: entry({
    status: 409,
    nl: () => 'De klacht is nog niet afgesloten: een dossier wordt pas vernietigd na de afhandeling (trek de klacht in of sluit haar eerst af).',
    en: () => 'The complaint is not closed yet: a dossier is destroyed only after it is handled (withdraw or close the complaint first).',
  }),
  DestructionUnderway: entry<{ since: string }>({
    status: 409,
    nl: (d, w) => `Het dossier wordt vernietigd sinds ${w.date(d.since)}; er kan niets meer aan gebeuren.`,
    en: (d, w) => `The dossier is being destroyed since ${w.date(d.since)}; nothing more can be done with it.`,
  }),
  NotYourAction: entry<{ audience: Audience }>({
    status: 403,
    nl: (d) => ({ staff: 'Alleen medewerkers kunnen dit doen.', complainant: 'Alleen de klager kan dit doen, met de link uit de e-mail.', mailbox: 'Dit gebeurt alleen wanneer er een e-mail binnenkomt.' })[d.audience],
    en: (d) => ({ staff: 'Only staff can do this.', complainant: 'Only the complainant can do this, with the link from the e-mail.', mailbox: 'This happens only when an e-mail comes in.' })[d.audience],
  }),
  LinkRevoked: entry({
    status: 403,
    nl: () => 'Deze link werkt niet meer; gebruik de nieuwste link die wij u hebben gemaild, of neem contact met ons op.',
    en: () => 'This link no longer works; use the latest link we e-mailed you, or contact us.',
  }),
  LinkScopeMissing: entry<{ scope: 'answer' | 'withdraw' }>({
    status: 403,
    nl: (d) => `Met deze link kunt u het dossier alleen inzien, niet ${d.scope === 'withdraw' ? 'de klacht intrekken' : 'reageren'}; gebruik de link uit onze laatste e-mail.`,
    en: (d) => `This link only shows the dossier; it cannot ${d.scope === 'withdraw' ? 'withdraw the complaint' : 'answer'}. Use the link from our latest e-mail.`,
  }),
  RoleRequired: entry<{ roles: StaffRole[] }>({
    status: 403,
    nl: (d, w) => `Alleen een ${w.roles(d.roles)} mag dit doen.`,
    en: (d, w) => `Only a ${w.roles(d.roles)} may do this.`,
  }),
  ActorInvolved: entry<{ staffId: string }>({
    status: 403,
    nl: (d) => `${d.staffId} is betrokken bij deze klacht en werkt er daarom niet aan; een collega handelt haar af.`,
    en: (d) => `${d.staffId} is among the people this complaint is about, and so does not act on it; a colleague handles it.`,
  }),
  AssigneeInvolved: entry<{ staffId: string }>({
    status: 409,
    nl: (d) => `${d.staffId} is betrokken bij deze klacht; wijs iemand anders toe.`,
    en: (d) => `${d.staffId} is among the people this complaint is about; assign someone else.`,
  }),
  HandlerInvolved: entry<{ staffId: string }>({
    status: 409,
    nl: (d) => `${d.staffId} behandelt deze klacht; wijs eerst een andere behandelaar toe.`,
    en: (d) => `${d.staffId} handles this complaint; assign another handler first.`,
  }),
  RateLimited: entry<{ limit: number; until: string }>({
    status: 429,
    nl: (d, w) => `Dit kan hoogstens ${d.limit} keer per etmaal; probeer het weer na ${w.instant(d.until)}.`,
    en: (d, w) => `This can be done at most ${d.limit} times a day; try again after ${w.instant(d.until)}.`,
  }),
  DossierFull: entry<{ limitBytes: number }>({
    status: 409,
    nl: (d) => `Het dossier is vol (${Math.round(d.limitBytes / 1_000_000)} MB tekst); stuur verdere stukken per e-mail of post.`,
    en: (d) => `The dossier is full (${Math.round(d.limitBytes / 1_000_000)} MB of text); send further documents by e-mail or post.`,
  }),
  NoPositionYet: entry({
    status: 409,
    nl: () => 'Er is nog geen standpunt verstuurd.',
    en: () => 'No position has been sent yet.',
  }),
  PositionAlreadySent: entry<{ sentOn: string }>({
    status: 409,
    nl: (d, w) => `Het standpunt is verstuurd op ${w.date(d.sentOn)}; voeg een notitie toe of verleng een termijn.`,
    en: (d, w) => `The position was sent on ${w.date(d.sentOn)}; add a note or extend a term instead.`,
  }),
  HearingNotHeld: entry<{ number: number; at: string }>({
    status: 409,
    field: 'hearingSkipped',
    nl: (d, w) => `Het gesprek van ${w.instant(d.at)} is nog niet als gehouden vastgelegd; leg het vast, of zeg in hearingSkipped waarom het niet doorgaat.`,
    en: (d, w) => `The hearing of ${w.instant(d.at)} has not been recorded as held; record it, or say in hearingSkipped why it does not take place.`,
  }),
  HearingRequired: entry<{ level: number }>({
    status: 409,
    field: 'hearingSkipped',
    nl: (d, w) => `Bij ${w.level(d.level)} hoort een gesprek met de klager; plan het, of zeg in hearingSkipped waarom het niet doorgaat.`,
    en: (d, w) => `An ${w.level(d.level)} requires a hearing with the complainant; schedule it, or say in hearingSkipped why it does not take place.`,
  }),
  HearingInPast: entry<{ at: string }>({
    status: 422,
    field: 'at',
    nl: (d, w) => `${w.instant(d.at)} ligt in het verleden; kies een tijd die nog komt.`,
    en: (d, w) => `${w.instant(d.at)} has passed; choose a time ahead.`,
  }),
  NoSuchHearing: entry<{ number: number }>({
    status: 409,
    field: 'hearing',
    nl: (d) => `Er is geen gesprek ${d.number} gepland.`,
    en: (d) => `There is no hearing ${d.number}.`,
  }),
  HearingAlreadyHeld: entry<{ number: number; heldOn: string }>({
    status: 409,
    nl: (d, w) => `Gesprek ${d.number} is al vastgelegd als gehouden op ${w.date(d.heldOn)}.`,
    en: (d, w) => `Hearing ${d.number} was recorded as held on ${w.date(d.heldOn)}.`,
  }),
  HearingNotYet: entry<{ number: number; at: string }>({
    status: 409,
    nl: (d, w) => `Gesprek ${d.number} is gepland op ${w.instant(d.at)} en kan pas daarna als gehouden worden vastgelegd.`,
    en: (d, w) => `Hearing ${d.number} is planned for ${w.instant(d.at)} and can be recorded as held only after it.`,
  }),
  TermNotRunning: entry<{ term: string; running: string[] }>({
    status: 409,
    field: 'term',
    nl: (d, w) => `De termijn voor ${w.term(d.term)} loopt niet bij deze klacht${d.running.length ? `; wel: ${d.running.map((t) => w.term(t)).join(', ')}` : ''}.`,
    en: (d, w) => `The term for ${w.term(d.term)} does not run for this complaint${d.running.length ? `; these do: ${d.running.map((t) => w.term(t)).join(', ')}` : ''}.`,
  }),
  TermAlreadyMet: entry<{ term: string; metOn: string }>({
    status: 409,
    nl: (d, w) => `Aan de termijn voor ${w.term(d.term)} is voldaan op ${w.date(d.metOn)}.`,
    en: (d, w) => `The term for ${w.term(d.term)} was met on ${w.date(d.metOn)}.`,
  }),
  NewDateNotLater: entry<{ newDate: string; currentDate: string }>({
    status: 422,
    field: 'newDate',
    nl: (d, w) => `De nieuwe datum ${w.date(d.newDate)} ligt niet na de huidige, ${w.date(d.currentDate)}.`,
    en: (d, w) => `The new date ${w.date(d.newDate)} is not after the current one, ${w.date(d.currentDate)}.`,
  }),
  NewDatePassed: entry<{ newDate: string }>({
    status: 422,
    field: 'newDate',
    nl: (d, w) => `De nieuwe datum ${w.date(d.newDate)} is al voorbij.`,
    en: (d, w) => `The new date ${w.date(d.newDate)} has passed.`,
  }),
  ReceivedInFuture: entry<{ at: string }>({
    status: 422,
    field: 'receivedAt',
    nl: (d, w) => `${w.instant(d.at)} ligt in de toekomst; geef het moment waarop het bericht binnenkwam.`,
    en: (d, w) => `${w.instant(d.at)} lies in the future; give the moment the message came in.`,
  }),
  ContactInFuture: entry<{ at: string }>({
    status: 422,
    field: 'at',
    nl: (d, w) => `${w.instant(d.at)} ligt in de toekomst; geef het moment waarop het contact was.`,
    en: (d, w) => `${w.instant(d.at)} lies in the future; give the moment the contact took place.`,
  }),
  ReopeningNotInProcedure: entry({
    status: 409,
    nl: () => 'Deze procedure kent geen heropening van een klacht; de beroepsmogelijkheid staat in uw dossier.',
    en: () => 'This procedure does not reopen complaints; the appeal route is in your file.',
  }),
  ReopeningAlreadyAsked: entry<{ askedOn: string }>({
    status: 409,
    nl: (d, w) => `U vroeg al om heropening op ${w.date(d.askedOn)}; daarover wordt nog beslist.`,
    en: (d, w) => `You asked to reopen on ${w.date(d.askedOn)} already; that is still being decided.`,
  }),
  ReopeningNotNow: entry({
    status: 409,
    nl: () => 'Heropenen kan na een "niet tevreden" op ons standpunt, zolang er geen beroep is ingesteld, of kort na het afsluiten.',
    en: () => 'A complaint can be reopened after a "not satisfied" with our position, while no appeal was filed, or shortly after it closed.',
  }),
  ReopeningWindowClosed: entry<{ closedOn: string }>({
    status: 409,
    nl: (d, w) => `Om heropening vragen kon tot en met ${w.date(d.closedOn)}.`,
    en: (d, w) => `Reopening could be asked until ${w.date(d.closedOn)}.`,
  }),
  NoReopeningRequest: entry({
    status: 409,
    nl: () => 'Er ligt geen verzoek om heropening.',
    en: () => 'There is no request to reopen.',
  }),
  ReopeningReasonRequired: entry({
    status: 422,
    field: 'reason',
    nl: () => 'Geef de reden waarom de klacht niet wordt heropend: de klager krijgt die te lezen.',
    en: () => 'Give the reason the complaint is not reopened: the complainant is told it.',
  }),
  SuspensionNotInProcedure: entry({
    status: 409,
    nl: () => 'Deze procedure kent geen opschorting van termijnen: verleng een termijn als dat nodig is.',
    en: () => 'This procedure has no suspension of terms: extend a term where needed.',
  }),
  AlreadySuspended: entry<{ since: string; answerBy: string }>({
    status: 409,
    nl: (d, w) => `De termijnen staan al stil sinds ${w.date(d.since)}, tot het antwoord of uiterlijk ${w.date(d.answerBy)}.`,
    en: (d, w) => `The terms stand still already since ${w.date(d.since)}, until the answer or ${w.date(d.answerBy)} at the latest.`,
  }),
  NothingToSuspend: entry<{ terms: string[] }>({
    status: 409,
    nl: (d, w) => `Er loopt geen termijn die deze procedure opschort (${d.terms.map((t) => w.term(t)).join(', ')}).`,
    en: (d, w) => `No term runs that this procedure suspends (${d.terms.map((t) => w.term(t)).join(', ')}).`,
  }),
  AnswerDateNotLater: entry<{ answerBy: string }>({
    status: 422,
    field: 'answerBy',
    nl: (d, w) => `${w.date(d.answerBy)} is niet na vandaag: geef de klager tijd om te antwoorden.`,
    en: (d, w) => `${w.date(d.answerBy)} is not after today: give the complainant time to answer.`,
  }),
  NotSuspended: entry({
    status: 409,
    nl: () => 'Er staat geen vraag aan de klager open: de termijnen lopen.',
    en: () => 'No question to the complainant is open: the terms are running.',
  }),
  NoAgreementsToConfirm: entry({
    status: 422,
    field: 'agreements',
    nl: () => 'Schrijf de gemaakte afspraken op: die sturen wij de klager ter bevestiging.',
    en: () => 'Write down the agreements made: those are what the complainant is sent to confirm.',
  }),
  ContactBeforeComplaint: entry<{ at: string }>({
    status: 422,
    field: 'at',
    nl: (d, w) => `${w.instant(d.at)} ligt vóór de ontvangst van de klacht.`,
    en: (d, w) => `${w.instant(d.at)} lies before the complaint was received.`,
  }),
  NothingToComplete: entry({
    status: 409,
    nl: () => 'Uw gegevens zijn al compleet.',
    en: () => 'Your details are complete already.',
  }),
  DetailsMissing: entry<{ fields: string[] }>({
    status: 422,
    nl: (d) => `Vul nog in: ${d.fields.map((f) => detailLabels.nl[f] ?? f).join(', ')}.`,
    en: (d) => `Please fill in: ${d.fields.map((f) => detailLabels.en[f] ?? f).join(', ')}.`,
  }),
  NothingToJudge: entry<{ mail: number }>({
    status: 409,
    field: 'mail',
    nl: () => 'Over deze e-mail valt niets te beslissen: zij kwam van het adres van de klager, of is al beoordeeld.',
    en: () => "There is nothing to decide about this e-mail: it came from the complainant's address, or was judged already.",
  }),
  NoSuchMail: entry({
    status: 409,
    nl: () => 'Geen verstuurde e-mail aan de klager met dit Message-ID (of zij staat al als niet bezorgd).',
    en: () => 'No e-mail sent to the complainant with this Message-ID (or it is on record as undelivered already).',
  }),
  MailAlreadyReceived: entry({
    status: 409,
    nl: () => 'Deze e-mail staat al in de correspondentie.',
    en: () => 'This e-mail is in the correspondence already.',
  }),
  NoLetterToPost: entry<{ letter: number }>({
    status: 409,
    field: 'letter',
    nl: () => 'Deze brief staat niet klaar om te versturen: hij is al verstuurd, of het bericht ging per e-mail.',
    en: () => 'This letter is not waiting to be posted: it was posted already, or the message went by e-mail.',
  }),
  PostedInFuture: entry<{ at: string }>({
    status: 422,
    field: 'at',
    nl: (d, w) => `${w.instant(d.at)} ligt in de toekomst; geef het moment waarop de brief is verstuurd.`,
    en: (d, w) => `${w.instant(d.at)} lies in the future; give the moment the letter was posted.`,
  }),
  PostedBeforeLetter: entry<{ at: string; readyAt: string }>({
    status: 422,
    field: 'at',
    nl: (d, w) => `${w.instant(d.at)} ligt vóór het moment waarop de brief klaarstond (${w.instant(d.readyAt)}).`,
    en: (d, w) => `${w.instant(d.at)} lies before the letter was ready (${w.instant(d.readyAt)}).`,
  }),
  ReceivedBeforeComplaint: entry<{ at: string }>({
    status: 422,
    field: 'receivedAt',
    nl: (d, w) => `${w.instant(d.at)} ligt vóór de ontvangst van de klacht.`,
    en: (d, w) => `${w.instant(d.at)} lies before the complaint was received.`,
  }),
  AlreadyAnswered: entry<{ answeredOn: string; satisfied: boolean }>({
    status: 409,
    nl: (d, w) => `Op ${w.date(d.answeredOn)} is al geantwoord dat de klager ${d.satisfied ? '' : 'niet '}tevreden is.`,
    en: (d, w) => `On ${w.date(d.answeredOn)} the answer was already that the complainant is ${d.satisfied ? '' : 'not '}satisfied.`,
  }),
  WrittenConfirmationRequired: entry({
    status: 409,
    field: 'channel',
    nl: () => 'Deze procedure sluit een klacht pas af als de klager schriftelijk bevestigt tevreden te zijn: leg het antwoord vast als het per e-mail of brief komt, of laat de klager antwoorden via de link.',
    en: () => "This procedure closes a complaint only on the complainant's written confirmation: record the answer when it comes by e-mail or letter, or let them answer through their link.",
  }),
  AppealPending: entry<{ level: number }>({
    status: 409,
    nl: (d, w) => `Het ${w.level(d.level)} loopt nog; de uitspraak daarover beantwoordt dit.`,
    en: (d, w) => `The ${w.level(d.level)} is still open; its decision answers this.`,
  }),
  NoAppealRoute: entry({
    status: 409,
    nl: () => 'Deze procedure kent geen beroep.',
    en: () => 'This procedure has no appeal.',
  }),
  NoFurtherAppeal: entry({
    status: 409,
    nl: () => 'Verder beroep is er in deze procedure niet.',
    en: () => 'There is no further appeal in this procedure.',
  }),
  AppealWindowClosed: entry<{ level: number; closedOn: string }>({
    status: 409,
    nl: (d, w) => `De termijn om in beroep te gaan is verstreken op ${w.date(d.closedOn)}.`,
    en: (d, w) => `The time to appeal ended on ${w.date(d.closedOn)}.`,
  }),
  NoAppealAtLevel: entry<{ level: number }>({
    status: 409,
    field: 'level',
    nl: (d) => `Er is geen beroep op niveau ${d.level} ingesteld.`,
    en: (d) => `No appeal has been filed at level ${d.level}.`,
  }),
  AppealIsInternal: entry<{ level: number }>({
    status: 409,
    nl: (d, w) => `Over het ${w.level(d.level)} beslist de organisatie zelf: gebruik decide-appeal.`,
    en: (d, w) => `The ${w.level(d.level)} is decided internally: use decide-appeal.`,
  }),
  AppealIsExternal: entry<{ level: number }>({
    status: 409,
    nl: (d, w) => `Het ${w.level(d.level)} ligt bij een externe instantie: leg de uitspraak vast met record-external-outcome.`,
    en: (d, w) => `The ${w.level(d.level)} lies with an external body: record its outcome with record-external-outcome.`,
  }),
  AppealAlreadyDecided: entry<{ level: number; decidedOn: string }>({
    status: 409,
    nl: (d, w) => `Over het ${w.level(d.level)} is beslist op ${w.date(d.decidedOn)}.`,
    en: (d, w) => `The ${w.level(d.level)} was decided on ${w.date(d.decidedOn)}.`,
  }),
  ReferralAlreadyRecorded: entry<{ level: number; recordedOn: string }>({
    status: 409,
    nl: (d, w) => `De doorverwijzing voor het ${w.level(d.level)} is vastgelegd op ${w.date(d.recordedOn)}.`,
    en: (d, w) => `The referral for the ${w.level(d.level)} was recorded on ${w.date(d.recordedOn)}.`,
  }),
  RootCauseRequired: entry({
    status: 409,
    nl: () => 'Deze procedure vraagt eerst de oorzaak en de preventieve maatregelen (record-cause).',
    en: () => 'This procedure needs the cause and the preventive measures recorded first (record-cause).',
  }),
  CauseCommunicationRequired: entry<{ missing: string[] }>({
    status: 422,
    nl: () => 'Deze procedure vraagt bij de oorzaak ook hoe en wanneer de maatregelen binnen de organisatie worden gecommuniceerd.',
    en: () => 'This procedure needs the cause record to say how and when the measures are communicated inside the organisation.',
  }),
  AnswerPeriodRunning: entry<{ until: string }>({
    status: 409,
    nl: (d, w) => `De klager kan nog antwoorden of in beroep gaan tot en met ${w.date(d.until)}.`,
    en: (d, w) => `The complainant may still answer or appeal until ${w.date(d.until)}.`,
  }),
};

export type RefusalCode = keyof typeof refusalTable;
type DataOf<E> = E extends Entry<infer D> ? D : never;
/** A refusal: its code and the data its wording needs. */
export type Refusal = { [K in RefusalCode]: { code: K } & DataOf<(typeof refusalTable)[K]> }[RefusalCode];
export const refusalCodes = Object.keys(refusalTable) as RefusalCode[];

export const isRefusalCode = (code: unknown): code is RefusalCode => typeof code === 'string' && Object.hasOwn(refusalTable, code);

/** The wording helpers for a complaint's language and clock. */
export function wording(language: Language, timezone: string, route: readonly AppealLevel[]): Wording {
  return {
    date: (date) => dateInWords(language, date),
    instant: (at) => instantInWords(language, at, timezone, 'long'),
    term: (name) => termLabel(language, name, route),
    level: (level) => appealLabel(language, level, route),
    roles: (roles) => rolesInWords(language, roles),
  };
}

/** A refusal in a person's words. */
export function refusalText(refusal: Refusal, w: Wording, language: Language): string {
  const entry = refusalTable[refusal.code] as Entry<Refusal>;
  return entry[language](refusal, w);
}

export const refusalStatus = (refusal: Refusal): number => refusalTable[refusal.code].status;
export const refusalField = (refusal: Refusal): string | undefined => (refusalTable[refusal.code] as Entry<Refusal>).field;
