import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * What Node's HTTP parser refuses before Express sees it (headers too large, a malformed
 * request line) still gets a problem+json answer, like every other error.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the request headers are too large; send fewer or shorter headers']
      : [400, 'Bad request', 'the request could not be read'];
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Resolves once the port is bound; rejects (port in use, say) instead of crashing later. */
export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolveListen, reject) => {
    const server = app.listen(port, host ?? '::', (err?: Error) => (err ? reject(err) : resolveListen(server)));
    server.on('clientError', answerClientError);
  });
}
