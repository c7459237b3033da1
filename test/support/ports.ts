import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/** `n` distinct loopback ports that were free a moment ago. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** True when something accepts connections on the port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A run of `n` consecutive loopback ports that were free a moment ago (the cluster's services take
 * fixed offsets), below 32768: Temporal keeps membership ports in a PostgreSQL smallint.
 */
export async function freePortBlock(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const taken = await Promise.all(Array.from({ length: n }, (_, i) => isListening(base + i)));
    if (taken.some(Boolean)) continue;
    const bound = await Promise.all(
      Array.from({ length: n }, (_, i) => new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
        const server = createServer();
        server.once('error', () => resolve(undefined));
        server.listen(base + i, '127.0.0.1', () => resolve(server));
      })),
    );
    await Promise.all(bound.filter((s) => s !== undefined).map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (bound.every(Boolean)) return base;
  }
  throw new Error(`no ${n} consecutive free ports found in 50 tries`);
}
