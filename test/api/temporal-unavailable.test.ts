import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { postJson, startTestApi } from '../support/api';
import { testClientOptions } from '../support/temporal';

/** A loopback port that nothing listens on. */
async function deadAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return `127.0.0.1:${port}`;
}

describe('when Temporal cannot be reached', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let connection: Connection;

  beforeAll(async () => {
    connection = Connection.lazy({ address: await deadAddress(), connectTimeout: 500 });
    api = await startTestApi(new Client({ connection, ...testClientOptions }));

  });
  afterAll(async () => {
    await api?.stop();
    await connection?.close();
  });

  it('reports not ready with 503 and Retry-After', async () => {
    const response = await fetch(`${api.url}/readyz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers intake with 503 problem+json, not 500', async () => {
    const response = await postJson(`${api.url}/api/complaints`, {
      procedure: 'babbage',
      complainant: { name: 'B', email: 'b@example.nl' },
      description: 'test',
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/cannot be reached/);
  });

  it('stays alive: /healthz answers', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });
});
