// The attachments of a dossier go with it: destroyed when its history is (issue 16).
import type { AttachmentStore } from '../codec/attachments';

export function createAttachmentActivities({ store }: { store: AttachmentStore }) {
  return {
    /** Removes the files of these attachments; one already gone is fine (a retry, or never stored). */
    async destroyAttachments({ ids }: { ids: string[] }): Promise<{ destroyed: number }> {
      for (const id of ids) await store.remove(id);
      return { destroyed: ids.length };
    },
  };
}

export type AttachmentActivities = ReturnType<typeof createAttachmentActivities>;
