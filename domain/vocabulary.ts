// The words of the complaint domain, one list per fact: statuses, outcomes, channels, roles.
// Plain data, no zod: the workflow imports these, and everything it imports is evaluated for
// every complaint a worker creates or replays.

/** The lifecycle of SPEC §4; derived from the dossier's facts (domain/lifecycle.ts). */
export const complaintStatuses = ['received', 'in_progress', 'awaiting_complainant', 'in_appeal', 'with_external_body', 'closed'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

export const complaintOutcomes = ['satisfied', 'no_response', 'dissatisfied', 'appeal_decided', 'external_decided', 'withdrawn'] as const;
export type ComplaintOutcome = (typeof complaintOutcomes)[number];

export const languages = ['nl', 'en'] as const;
export type Language = (typeof languages)[number];

/** How a complaint came in. */
export const intakeChannels = ['web', 'phone', 'in-person', 'email', 'letter'] as const;
export type IntakeChannel = (typeof intakeChannels)[number];

/** How staff were in touch with the complainant, or heard from them. */
export const contactChannels = ['phone', 'email', 'meeting', 'letter'] as const;
export type ContactChannel = (typeof contactChannels)[number];
/** The channels that count as the complainant's word in writing. */
export const writtenChannels: readonly ContactChannel[] = ['email', 'letter'];

export const hearingModes = ['teams', 'phone', 'in-person'] as const;
export type HearingMode = (typeof hearingModes)[number];

export const appealDecisions = ['upheld', 'partly-upheld', 'rejected'] as const;
export type AppealDecision = (typeof appealDecisions)[number];

export const externalOutcomes = ['upheld', 'partly-upheld', 'rejected', 'settled'] as const;
export type ExternalOutcome = (typeof externalOutcomes)[number];

export const staffRoles = ['handler', 'manager', 'director'] as const;
export type StaffRole = (typeof staffRoles)[number];
/** Who may assign, decide appeals, record external outcomes and read reports (SPEC §6). */
export const deciders: readonly StaffRole[] = ['manager', 'director'];
export const everyStaffRole: readonly StaffRole[] = staffRoles;

/** The terms a dossier can hold: from receipt, from the position, and per appeal level. */
export type TermName =
  | 'acknowledge'
  | 'firstContact'
  | 'resolve'
  | 'maxLeadTime'
  | 'satisfaction'
  | `appeal${number}File`
  | `appeal${number}Decide`;

export const appealFileTerm = (level: number): TermName => `appeal${level}File`;
export const appealDecideTerm = (level: number): TermName => `appeal${level}Decide`;

/** What a complainant's link may do: every link views; acting needs `answer` or `withdraw` (domain/link-token.ts). */
export const linkScopes = ['view', 'answer', 'withdraw'] as const;
export type LinkScope = (typeof linkScopes)[number];

/**
 * Who acts: the complainant through their link (its generation and scopes, where the caller has
 * the link; the pages and the API always do), or a staff member with their roles.
 */
/** Who acts: the complainant (through their link), a staff member, or the mailbox (an e-mail that came in, issue 16). */
export type Actor =
  | { kind: 'complainant'; link?: { generation: number; scopes: readonly LinkScope[] } }
  | { kind: 'staff'; id: string; roles: readonly StaffRole[] }
  | { kind: 'mailbox' };
export type Audience = Actor['kind'];
export const actorName = (actor: Actor): string => (actor.kind === 'staff' ? actor.id : actor.kind === 'mailbox' ? 'mailbox' : 'complainant');

/** Whether these roles include one that decides (manager or director): reports, access exports, appeal decisions. */
export const decides = (roles: readonly StaffRole[]): boolean => roles.some((role) => deciders.includes(role));
