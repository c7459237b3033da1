import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const busyMs = 5000;

/**
 * A SQLite file that several processes share (workers the sent-mail ledger, API processes the
 * back office's store), in WAL mode so that readers and a writer do not block each other. Every
 * statement waits up to 5 s for another process's lock, except the switch to WAL itself: SQLite
 * answers "database is locked" at once where another process is making the same switch on a new
 * file. Then it waits for that process's write lock to pass (which honours the wait) and asks
 * again, when the file is in WAL mode already and the switch takes no lock.
 */
export function openSharedDatabase(file: string): DatabaseSync {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file, { timeout: busyMs });
  try {
    db.exec('PRAGMA journal_mode = WAL');
  } catch (err) {
    if ((err as { errcode?: number }).errcode !== 5 /* SQLITE_BUSY */) throw err;
    db.exec('BEGIN IMMEDIATE; COMMIT');
    db.exec('PRAGMA journal_mode = WAL');
  }
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}
