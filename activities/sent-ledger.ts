import { openSharedDatabase } from '../config/shared-sqlite';
import type { SentEmail } from './email';

/**
 * The worker's own record of every e-mail the relay took (250), written the moment it answers,
 * before the activity reports: a retry of the same activity (same run, same activity id) after a
 * crash finds it and does not send again. The heartbeat carries the same record to another worker,
 * but it travels to Temporal as slowly as the completion does; this one is on the worker's disk
 * in a millisecond. Kept a day: an activity is retried for an hour at most.
 */
export interface SentLedger {
  find(attempt: AttemptOf): SentEmail | undefined;
  record(attempt: AttemptOf, sent: SentEmail): void;
  close(): void;
}

/** Which activity execution sent it: a retry has the same, a new complaint or a new run never. */
export interface AttemptOf {
  runId: string;
  activityId: string;
}

const keepMs = 24 * 60 * 60_000;
const pruneEvery = 1_000;

/** Opens (creating) the ledger at `file`, e.g. `<KLACHTFLOW_DATA_DIR>/sent-mail.db`; workers sharing the file share the record. */
export function openSentLedger(file: string, now: () => number = Date.now): SentLedger {
  const db = openSharedDatabase(file);
  db.exec(`
    CREATE TABLE IF NOT EXISTS sent (
      attempt TEXT PRIMARY KEY,
      message_id TEXT NOT NULL,
      subject TEXT NOT NULL,
      sent_at TEXT NOT NULL,
      recorded_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sent_recorded ON sent (recorded_ms);
  `);
  const insert = db.prepare('INSERT OR REPLACE INTO sent (attempt, message_id, subject, sent_at, recorded_ms) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT message_id, subject, sent_at FROM sent WHERE attempt = ?');
  const prune = db.prepare('DELETE FROM sent WHERE recorded_ms < ?');
  const keyOf = ({ runId, activityId }: AttemptOf) => `${runId}/${activityId}`;
  let sincePrunedCount = 0;
  prune.run(now() - keepMs);

  return {
    find(attempt) {
      const row = select.get(keyOf(attempt)) as { message_id: string; subject: string; sent_at: string } | undefined;
      return row ? { messageId: row.message_id, subject: row.subject, sentAt: row.sent_at } : undefined;
    },
    record(attempt, sent) {
      insert.run(keyOf(attempt), sent.messageId, sent.subject, sent.sentAt, now());
      if (++sincePrunedCount >= pruneEvery) {
        sincePrunedCount = 0;
        prune.run(now() - keepMs);
      }
    },
    close() {
      db.close();
    },
  };
}
