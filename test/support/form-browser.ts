// A browser without JavaScript, over real HTTP: a cookie jar, and every form posted as a form.
import type { ParsedMail } from 'mailparser';
import type { MailSink } from './mail-sink';

export class FormBrowser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: () => string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const response = await fetch(`${this.base()}${path}`, {
      method,
      redirect: 'manual',
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.cookies.set(name!, value);
      else this.cookies.delete(name!);
    }
    return { status: response.status, location: response.headers.get('location'), html: await response.text(), setCookies: response.headers.getSetCookie() };
  }

  /** The CSRF token of the page's (first) form. */
  static csrf(html: string): string {
    return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  }

  /** The back-office sign-in link in a sign-in e-mail, as a path. */
  static signInPath(mail: ParsedMail): string {
    return new URL(/https?:\/\/[^/\s]+(\/beheer\/inloggen\/\S+)/.exec(mail.text ?? '')![1]!, 'http://x').pathname;
  }

  /** Signs in to the back office as the staff member with `email`, by the link the worker e-mails. */
  async signIn(mail: MailSink, email: string): Promise<void> {
    const form = await this.request('GET', '/beheer/inloggen');
    const before = new Set(mail.to(email));
    await this.request('POST', '/beheer/inloggen', { _csrf: FormBrowser.csrf(form.html), email });
    const sent = await mail.waitFor((m) => m.subject === 'Inloggen bij klachtflow' && mail.to(email).includes(m) && !before.has(m));
    const link = FormBrowser.signInPath(sent);
    const confirm = await this.request('GET', link);
    const done = await this.request('POST', link, { _csrf: FormBrowser.csrf(confirm.html) });
    if (done.status !== 303) throw new Error(`signing in as ${email} answered ${done.status}`);
  }
}
