import pino, { type Logger } from 'pino';

// Structured JSON logs. Never log names, e-mail addresses or complaint text (SPEC §5):
// references and procedure ids are fine.
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' });
}
