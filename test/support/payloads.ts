import type { temporal } from '@temporalio/proto';

type Payload = temporal.api.common.v1.IPayload;
const isPayload = (value: unknown): value is Payload => {
  const metadata = (value as Payload | null)?.metadata;
  return typeof metadata === 'object' && metadata !== null && 'encoding' in metadata;
};

// Written in the clear by design: search attributes (visibility indexes them; nothing personal
// goes there) and the SDK core's own marker details (a local activity's sequence, attempt, type and
// times; a patch's id). Only a local activity's `result` among them is ours, and it is encrypted.
const clearByDesign = (path: string[]): boolean =>
  path.at(-1) === 'searchAttributes' || (path.at(-3) === 'markerRecordedEventAttributes' && path.at(-2) === 'details' && path.at(-1) !== 'result');

/** Every payload in a raw (undecoded) history, response or JSON document, except those clear by design. */
export function payloadsIn(value: unknown, found: Payload[] = [], path: string[] = []): Payload[] {
  if (clearByDesign(path)) return found;
  if (isPayload(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) payloadsIn(item, found, path);
  else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    for (const [key, item] of Object.entries(value)) payloadsIn(item, found, [...path, key]);
  }
  return found;
}

/** A payload's metadata field as text (raw histories hold bytes, JSON ones base64). */
export function metadataText(payload: Payload, field: string): string {
  const raw = payload.metadata?.[field] as Uint8Array | string | undefined;
  if (raw === undefined) return '';
  return typeof raw === 'string' ? Buffer.from(raw, 'base64').toString() : Buffer.from(raw).toString();
}
