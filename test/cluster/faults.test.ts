import type { Dossier } from '../../domain/dossier';
import { type Cluster, startCluster } from '../../dev/cluster';
import { type Answer, describeFaults, type FaultContext } from '../support/fault-suite';
import { freePortBlock, freePorts } from '../support/ports';

// The fault suite (test/support/fault-suite.ts) against the production shape: the Temporal server
// with 4 history shards on PostgreSQL, two workers and two APIs, at 500 intakes in flight. Then
// what only a cluster has: its database restarted while complaints are filed and acted on.
let cluster: Cluster | undefined;

describe('faults, with a Temporal cluster on PostgreSQL, an SMTP sink, two workers and two APIs as separate processes', () => {
  describeFaults(
    {
      name: 'Temporal server',
      async start(dir) {
        const [frontend, membershipBase] = await Promise.all([freePortBlock(7), freePortBlock(6)]);
        const [postgres] = await freePorts(1);
        cluster = await startCluster({ dir, ports: { frontend, membershipBase, postgres: postgres! }, namespace: 'default', log: () => undefined });
        return cluster.address;
      },
      kill: () => cluster!.stopServer('SIGKILL'),
      restart: () => cluster!.startServer(),
      stop: async () => cluster?.stop(),
    },
    { intakes: 500, lanes: 500, workers: 2, apis: 2 },
    postgresRestart,
  );
});

function postgresRestart(ctx: FaultContext): void {
  it('PostgreSQL restarted while complaints are filed and acted on: 503 with Retry-After while it is down, never a hang; nothing lost', async () => {
    const { request, file, act, retries, inLanes, receiptOf, waitForMail, doubled, slowest } = ctx;
    const before = await inLanes(10, 5, (i) => file('pg', i));
    const references = before.map((a) => String(a.body.reference));
    await waitForMail(references.map(receiptOf), 60_000);

    // While it is down: intake, a dossier, a staff action; each asked once (no retry), to see the answer.
    await cluster!.stopPostgres();
    const stopped = Date.now();
    const down: Answer[] = await inLanes(6, 3, (i) => [
      () => request('POST', '/api/complaints', { procedure: 'gooiconsult', complainant: { name: `Klager ${i}`, email: `pg-down-${i}@example.nl`, address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } }, description: `Klacht pg-down ${i}` }, `pg-down-intake-${i}-0123456789`),
      () => request('GET', `/api/admin/complaints/${references[i]}`),
      () => request('POST', `/api/admin/complaints/${references[i]}/assign`, { handler: 'mira' }, `${references[i]}-pg-down-assign`),
    ][i % 3]!());
    await cluster!.startPostgres();
    const downFor = Date.now() - stopped;
    const restarted = Date.now();
    // After: more complaints, and the ones from before taken up and answered.
    const after = await inLanes(10, 5, (i) => file('pg', i + 10));
    const acted = await inLanes(references.length, 5, async (i) => {
      const r = references[i]!;
      return [
        await act(r, 'assign', { handler: 'mira' }, `${r}-pg-assign`),
        await act(r, 'send-position', { text: 'Ons standpunt, met redenen.' }, `${r}-pg-position`),
      ];
    });
    const afterReferences = after.map((a) => String(a.body.reference));
    const wanted = [...afterReferences.map(receiptOf), ...references.map((r) => `<${r}.position@faults.test>`)];
    const missing = await waitForMail(wanted, 150_000);
    const dossier = (await request('GET', `/api/admin/complaints/${references[0]}`)).body as unknown as Dossier;
    ctx.figures.push(
      `PostgreSQL stopped (fast) for ${Math.round(downFor / 100) / 10} s and started again: ${down.length} requests while down, ${down.filter((a) => a.status === 503 && a.retryAfter).length} answered 503 with Retry-After, slowest ${slowest(down)} ms (${down.map((a) => Math.round(a.ms)).join('/')} ms); after it ${after.filter((a) => a.status === 201).length}/${after.length} intakes 201 (${retries(after)} after a 503), slowest ${slowest(after)} ms; ${acted.flat().filter((a) => a.status === 200).length}/${acted.flat().length} actions 200 (${retries(acted.flat())} after a 503); ${wanted.length - missing.length}/${wanted.length} e-mails delivered ${Math.round((Date.now() - restarted) / 1000)} s after the restart, ${doubled(wanted)}`,
    );
    expect(down.map((a) => a.status)).toEqual(down.map(() => 503));
    expect(down.every((a) => a.retryAfter !== null)).toBe(true);
    expect(slowest(down)).toBeLessThan(10_000);
    expect(after.map((a) => a.status)).toEqual(after.map(() => 201));
    expect(acted.flat().map((a) => a.status)).toEqual(acted.flat().map(() => 200));
    expect(missing).toEqual([]);
    expect(dossier.position).toBeDefined();
  }, 300_000);
}
