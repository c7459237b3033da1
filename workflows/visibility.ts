// What the operator sees of a complaint in visibility: its search attributes, from the dossier.
// Never personal data (SPEC §5): visibility is not encrypted.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Dossier } from '../domain/dossier';
import {
  ComplaintCategory,
  ComplaintClosedAt,
  ComplaintDestroyOn,
  ComplaintHandler,
  ComplaintMailHeld,
  ComplaintNextDeadline,
  ComplaintOutcome,
  ComplaintOverdue,
  ComplaintProcedure,
  ComplaintReceivedAt,
  ComplaintStatus,
} from '../domain/search-attributes';

type Value = string | boolean | null;

/** The worst hold on the e-mails still queued: the relay refusing us first, then a long wait. */
function mailHeld(dossier: Dossier): string | undefined {
  const held = dossier.correspondence.filter((c) => c.status === 'queued' && c.held).map((c) => c.held!.reason);
  return held.includes('relay-refused') ? 'relay-refused' : held[0];
}
const instant = (value: string | boolean) => new Date(String(value));

/** Each search attribute with the value the dossier gives it (null: unset), and its typed form. */
export function visibleAttributes(dossier: Dossier, nextDeadline: string | undefined): [SearchAttributeUpdatePair['key'], Value, (value: string | boolean) => unknown][] {
  return [
    [ComplaintProcedure, dossier.procedure, String],
    [ComplaintStatus, dossier.status, String],
    [ComplaintCategory, dossier.complaint.category ?? null, String],
    [ComplaintHandler, dossier.handler ?? null, String],
    [ComplaintOutcome, dossier.outcome ?? null, String],
    [ComplaintReceivedAt, dossier.receivedAt, instant],
    [ComplaintNextDeadline, nextDeadline ?? null, instant],
    [ComplaintClosedAt, dossier.closedAt ?? null, instant],
    [ComplaintDestroyOn, dossier.destroyOn ?? null, String],
    [ComplaintOverdue, Object.values(dossier.terms).some((t) => t?.breachedAt !== undefined), Boolean],
    [ComplaintMailHeld, mailHeld(dossier) ?? null, String],
  ];
}
