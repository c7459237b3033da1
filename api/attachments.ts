// Downloading an attachment of an e-mail that came in (issue 16): only one the dossier lists (the
// complainant's view lists only their own), decrypted from the store, always as a download.
import type { Response } from 'express';
import type { AttachmentStore } from '../codec/attachments';
import { attachmentsOf, type Dossier } from '../domain/dossier';
import { HttpProblem } from './problem';

/** Types a browser shows without running anything; every other file is sent as bytes. */
const inertTypes = /^(application\/pdf|image\/(png|jpeg|gif|webp)|text\/plain)$/i;

const notFound = () => new HttpProblem({ title: 'Not found', status: 404, detail: 'no such attachment in this dossier (or it was destroyed with the dossier)' });

export async function sendAttachment(res: Response, store: AttachmentStore, dossier: Dossier, id: string): Promise<void> {
  const listed = attachmentsOf(dossier).find((a) => a.id === id);
  if (!listed?.id) throw notFound();
  const content = await store.get(listed.id);
  if (!content) throw notFound();
  res
    .status(200)
    .set('Cache-Control', 'no-store')
    .attachment(listed.name)
    .type(inertTypes.test(listed.type) ? listed.type : 'application/octet-stream')
    .send(content);
}
