import { createHash, randomBytes } from 'node:crypto';
import { openSharedDatabase } from '../../config/shared-sqlite';

// The back office's sign-in links and sessions (issue 15): a sign-in link is single-use and valid
// 15 minutes; a session lasts 8 hours or until signed out. Only hashes of the secrets are stored.
// API processes that share the data directory share the store (`<KLACHTFLOW_DATA_DIR>/backoffice.db`).
export const signInValidityMs = 15 * 60_000;
export const sessionValidityMs = 8 * 3600_000;

/** The session cookie: `__Host-` (Secure, whole site) behind https, plain on http://localhost. */
export const sessionCookieName = (publicBaseUrl: string): string => (publicBaseUrl.startsWith('https:') ? '__Host-klachtflow-session' : 'klachtflow-session');

export interface SignIn {
  /** The random half of the link; the e-mail carries it with its MAC (`signInToken`, domain/link-token.ts). */
  id: string;
  staffId: string;
  expiresAt: Date;
}

export interface BackofficeStore {
  createSignIn(staffId: string): SignIn;
  /** The staff id of an unused, unexpired sign-in, now used; undefined for anything else. */
  consumeSignIn(id: string): string | undefined;
  /** Whether a sign-in could still be used (the page before the button), without using it. */
  signInUsable(id: string): boolean;
  /** `roles`: what the OpenID provider's groups give (they stand for the staff file's roles in this session). */
  createSession(staffId: string, roles?: readonly string[]): { token: string; expiresAt: Date };
  sessionOf(token: string): { staffId: string; expiresAt: Date; roles?: string[] } | undefined;
  endSession(token: string): void;
  close(): void;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const random = (): string => randomBytes(32).toString('base64url');

export function openBackofficeStore(file: string, now: () => number = Date.now): BackofficeStore {
  const db = openSharedDatabase(file);
  db.exec(`
    CREATE TABLE IF NOT EXISTS sign_ins (id_sha256 TEXT PRIMARY KEY, staff_id TEXT NOT NULL, expires_ms INTEGER NOT NULL, used_ms INTEGER);
    CREATE TABLE IF NOT EXISTS sessions (token_sha256 TEXT PRIMARY KEY, staff_id TEXT NOT NULL, expires_ms INTEGER NOT NULL, ended_ms INTEGER);
  `);
  // From the OpenID sign-in on: a session may carry its roles (a store from before gets the column).
  if (!(db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).some((c) => c.name === 'roles')) db.exec('ALTER TABLE sessions ADD COLUMN roles TEXT');
  const insertSignIn = db.prepare('INSERT INTO sign_ins (id_sha256, staff_id, expires_ms) VALUES (?, ?, ?)');
  // One statement: of two processes taking the same link at once, one gets the row.
  const useSignIn = db.prepare('UPDATE sign_ins SET used_ms = ? WHERE id_sha256 = ? AND used_ms IS NULL AND expires_ms > ? RETURNING staff_id');
  const usable = db.prepare('SELECT 1 FROM sign_ins WHERE id_sha256 = ? AND used_ms IS NULL AND expires_ms > ?');
  const insertSession = db.prepare('INSERT INTO sessions (token_sha256, staff_id, expires_ms, roles) VALUES (?, ?, ?, ?)');
  const selectSession = db.prepare('SELECT staff_id, expires_ms, roles FROM sessions WHERE token_sha256 = ? AND ended_ms IS NULL AND expires_ms > ?');
  const endSession = db.prepare('UPDATE sessions SET ended_ms = ? WHERE token_sha256 = ? AND ended_ms IS NULL');
  // What has ended a day ago is of no use to anyone.
  const prune = () => {
    const before = now() - 24 * 3600_000;
    db.prepare('DELETE FROM sign_ins WHERE expires_ms < ?').run(before);
    db.prepare('DELETE FROM sessions WHERE expires_ms < ?').run(before);
  };
  prune();
  const pruning = setInterval(prune, 3600_000);
  pruning.unref();

  return {
    createSignIn(staffId) {
      const id = random();
      const expiresAt = new Date(now() + signInValidityMs);
      insertSignIn.run(sha256(id), staffId, expiresAt.getTime());
      return { id, staffId, expiresAt };
    },
    consumeSignIn(id) {
      const row = useSignIn.get(now(), sha256(id), now()) as { staff_id: string } | undefined;
      return row?.staff_id;
    },
    signInUsable: (id) => usable.get(sha256(id), now()) !== undefined,
    createSession(staffId, roles) {
      const token = random();
      const expiresAt = new Date(now() + sessionValidityMs);
      insertSession.run(sha256(token), staffId, expiresAt.getTime(), roles ? JSON.stringify(roles) : null);
      return { token, expiresAt };
    },
    sessionOf(token) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const row = selectSession.get(sha256(token), now()) as { staff_id: string; expires_ms: number; roles: string | null } | undefined;
      if (!row) return undefined;
      return { staffId: row.staff_id, expiresAt: new Date(row.expires_ms), ...(row.roles ? { roles: JSON.parse(row.roles) as string[] } : {}) };
    },
    endSession(token) {
      endSession.run(now(), sha256(token));
    },
    close() {
      clearInterval(pruning);
      db.close();
    },
  };
}
