import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { AttachmentStore } from '../../codec/attachments';
import type { OidcSettings } from '../../api/backoffice/oidc';
import { listen } from '../../api/listen';
import { procedures, testAttachments, testBaseUrl, testLinkSecret, testStaff } from './worker';

/** The real Express app on a free loopback port, wired to a real Temporal client. */
export async function startTestApi(
  client: Client,
  options: { intakeRateLimit?: number; authFailureLimits?: { perAddress: number; perComplaint: number }; log?: (line: string) => void; port?: number; codecOrigins?: string[]; publicBaseUrl?: string; oidc?: OidcSettings; attachments?: AttachmentStore } = {},
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const logger = options.log ? pino({ level: 'info' }, { write: options.log }) : pino({ level: 'silent' });
  const app = createApp({
    client,
    procedures,
    staff: testStaff,
    linkSecret: testLinkSecret,
    publicBaseUrl: options.publicBaseUrl ?? testBaseUrl,
    ...(options.oidc ? { oidc: options.oidc } : {}),
    logger,
    intakeRateLimit: options.intakeRateLimit ?? 10_000,
    // The auth tests try many wrong tokens on purpose; the limit on guessing has a test of its own.
    authFailureLimits: options.authFailureLimits ?? { perAddress: 100_000, perComplaint: 100_000 },
    ...(options.codecOrigins ? { codecOrigins: options.codecOrigins } : {}),
    attachments: options.attachments ?? testAttachments,
  });
  const server = await listen(app, options.port ?? 0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A JSON request with a staff or link token. */
export function call(method: 'GET' | 'POST', url: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
}
