export interface MailCatcher {
  smtpUrl: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** MailDev in-process: an SMTP server that keeps every e-mail, and a web view of them. */
export async function startMailCatcher(smtpPort: number, uiPort: number): Promise<MailCatcher> {
  const { MailDev, getDefaultConfig } = await import('maildev');
  const maildev = new MailDev({
    ...getDefaultConfig(),
    smtp: smtpPort,
    ip: '127.0.0.1',
    web: uiPort,
    webIp: '127.0.0.1',
    silent: true,
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    uiUrl: `http://localhost:${uiPort}`,
    stop: () => maildev.stop(),
  };
}
