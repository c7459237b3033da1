// What of an e-mail's attachments klachtflow keeps (issue 16): files up to a size, of types that do
// no harm when a complaints officer opens them. The rest is listed in the dossier as refused, with
// the reason, so that staff can ask for it another way.
import { lazy, z } from './lazy-zod';

/** The largest attachment kept (a whole message is at most KLACHTFLOW_MAIL_IN_MAX_MB). */
export const attachmentMaxBytes = 15 * 1024 * 1024;

/** Programs and scripts, by their extension: never kept. */
const refusedExtensions = new Set(['exe', 'com', 'bat', 'cmd', 'scr', 'pif', 'msi', 'msp', 'dll', 'cpl', 'jar', 'js', 'jse', 'vbs', 'vbe', 'wsf', 'wsh', 'ps1', 'psm1', 'hta', 'lnk', 'reg', 'iso', 'img', 'vhd', 'apk', 'app', 'sh', 'docm', 'xlsm', 'pptm']);
const refusedTypes = /^application\/(x-msdownload|x-msdos-program|x-ms-installer|x-sh|javascript|x-javascript|java-archive|vnd\.microsoft\.portable-executable)$/i;

export const attachmentRefusals = ['too-large', 'refused-type'] as const;
export type AttachmentRefusal = (typeof attachmentRefusals)[number];

/** Why an attachment is not kept, if it is not. */
export function attachmentRefusal(name: string, type: string, size: number): AttachmentRefusal | undefined {
  if (size > attachmentMaxBytes) return 'too-large';
  const extension = /\.([A-Za-z0-9]+)$/.exec(name.trim())?.[1]?.toLowerCase();
  if ((extension && refusedExtensions.has(extension)) || refusedTypes.test(type)) return 'refused-type';
  return undefined;
}

/** An attachment as a dossier lists it: kept (with the id its content is stored under) or refused (with the reason). */
export interface AttachmentRef {
  id?: string;
  name: string;
  type: string;
  size: number;
  refused?: AttachmentRefusal;
}

export const attachmentRefSchema = lazy(() =>
  z.strictObject({
    id: z.string().regex(/^[0-9a-f]{32}$/, 'an attachment id is 32 hex digits').optional(),
    name: z.string().trim().min(1).max(255),
    type: z.string().trim().min(1).max(255),
    size: z.number().int().nonnegative(),
    refused: z.enum(attachmentRefusals).optional(),
  }),
);
