import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ImapFlow } from 'imapflow';
import { freePorts, isListening } from './ports';

/** Debian's dovecot (`apt-get install dovecot-imapd`; .ci/run installs it). A test that needs it fails without it. */
const dovecotPath = process.env.KLACHTFLOW_DOVECOT_PATH ?? '/usr/sbin/dovecot';

/**
 * A real IMAP server for a test file: Debian's Dovecot with a configuration of its own in a
 * temporary directory (plain IMAP on a free loopback port, one user, Maildir), stopped by its PID.
 */
export class ImapServer {
  private constructor(
    readonly port: number,
    readonly user: string,
    readonly password: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<ImapServer> {
    if (!existsSync(dovecotPath)) throw new Error(`dovecot is not installed at ${dovecotPath}: apt-get install dovecot-imapd (.ci/run does)`);
    if (userInfo().uid !== 0) throw new Error('the IMAP tests start dovecot, which needs root (as on these machines and CI)');
    const [port] = await freePorts(1);
    const dir = mkdtempSync(join(tmpdir(), 'klachtflow-dovecot-'));
    chmodSync(dir, 0o755);
    for (const sub of ['mail', 'run', 'state']) mkdirSync(join(dir, sub));
    const uid = Number(execFileSync('id', ['-u', 'dovecot']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'dovecot']).toString().trim());
    chownSync(join(dir, 'mail'), uid, gid);
    const user = 'klachten';
    const password = 'imap-test-wachtwoord';
    writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
    writeFileSync(
      join(dir, 'dovecot.conf'),
      [
        'protocols = imap',
        'listen = 127.0.0.1',
        `base_dir = ${join(dir, 'run')}`,
        `state_dir = ${join(dir, 'state')}`,
        `instance_name = klachtflow-test-${port}`,
        'ssl = no',
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        'log_path = /dev/stderr',
        `mail_location = maildir:${join(dir, 'mail')}/%u`,
        'first_valid_uid = 1',
        'default_login_user = dovenull',
        'default_internal_user = dovecot',
        `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${join(dir, 'users')}\n}`,
        `userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=${join(dir, 'mail')}/%u\n}`,
        `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
        'service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
        '',
      ].join('\n'),
    );
    const child = spawn(dovecotPath, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    for (let i = 0; i < 100 && !(await isListening(port!)); i++) {
      if (child.exitCode !== null) throw new Error(`dovecot stopped at start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!(await isListening(port!))) throw new Error(`dovecot did not listen on ${port} within 10 s: ${log}`);
    return new ImapServer(port!, user, password, dir, child);
  }

  /** A client of the test's own, to put messages in and look at the folders. */
  async client(): Promise<ImapFlow> {
    const client = new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, auth: { user: this.user, pass: this.password }, logger: false });
    await client.connect();
    return client;
  }

  /** Puts a message in a folder, as having arrived at `at` (its INTERNALDATE). */
  async deliver(raw: string, at: Date, folder = 'INBOX'): Promise<void> {
    const client = await this.client();
    try {
      await client.append(folder, raw, [], at);
    } finally {
      await client.logout();
    }
  }

  /** The subjects of the messages in a folder (none where it does not exist). */
  async subjects(folder: string): Promise<string[]> {
    const client = await this.client();
    try {
      if (!(await client.list()).some((f) => f.path === folder)) return [];
      const lock = await client.getMailboxLock(folder);
      try {
        const subjects: string[] = [];
        if (client.mailbox && client.mailbox.exists) for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
        return subjects;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
