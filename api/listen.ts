import type { Server } from 'node:http';
import type { Express } from 'express';

/** Resolves once the port is bound; rejects (port in use, say) instead of crashing later. */
export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolveListen, reject) => {
    const server = app.listen(port, host ?? '::', (err?: Error) => (err ? reject(err) : resolveListen(server)));
  });
}
