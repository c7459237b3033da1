import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// The operator's view of a complaint in the Temporal UI. Never personal data here:
// visibility is not encrypted (SPEC §5).
export const ComplaintProcedure = defineSearchAttributeKey('ComplaintProcedure', SearchAttributeType.KEYWORD);
export const ComplaintStatus = defineSearchAttributeKey('ComplaintStatus', SearchAttributeType.KEYWORD);
export const ComplaintCategory = defineSearchAttributeKey('ComplaintCategory', SearchAttributeType.KEYWORD);
export const ComplaintHandler = defineSearchAttributeKey('ComplaintHandler', SearchAttributeType.KEYWORD);
export const ComplaintOutcome = defineSearchAttributeKey('ComplaintOutcome', SearchAttributeType.KEYWORD);
export const ComplaintReceivedAt = defineSearchAttributeKey('ComplaintReceivedAt', SearchAttributeType.DATETIME);
export const ComplaintNextDeadline = defineSearchAttributeKey('ComplaintNextDeadline', SearchAttributeType.DATETIME);
export const ComplaintClosedAt = defineSearchAttributeKey('ComplaintClosedAt', SearchAttributeType.DATETIME);
// A date, not an instant (retention dates do not run on to a working day): kept as the
// local ISO date `YYYY-MM-DD` in a Keyword, which sorts and range-queries as a date does.
// It is a Keyword also because the dev server's SQLite visibility holds at most three
// Datetime attributes, and the three instants above need them.
export const ComplaintDestroyOn = defineSearchAttributeKey('ComplaintDestroyOn', SearchAttributeType.KEYWORD);
export const ComplaintOverdue = defineSearchAttributeKey('ComplaintOverdue', SearchAttributeType.BOOL);
/** An e-mail of this complaint is held: `relay-refused` (our relay refuses us) or `delayed` (queued over an hour); unset when all went. */
export const ComplaintMailHeld = defineSearchAttributeKey('ComplaintMailHeld', SearchAttributeType.KEYWORD);

export const complaintSearchAttributes = [
  ComplaintProcedure,
  ComplaintStatus,
  ComplaintCategory,
  ComplaintHandler,
  ComplaintOutcome,
  ComplaintReceivedAt,
  ComplaintNextDeadline,
  ComplaintClosedAt,
  ComplaintDestroyOn,
  ComplaintOverdue,
  ComplaintMailHeld,
] as const;
