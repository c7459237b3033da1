import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { dataConverter, type KeyRing } from '../codec';
import { complaintSearchAttributes } from '../domain/search-attributes';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** TLS, API key and gRPC metadata from the envconfig profile (Temporal Cloud). */
  connectionOptions: Omit<ReturnType<typeof loadClientConnectConfig>['connectionOptions'], 'address'>;
}

/**
 * Where Temporal is: the `TEMPORAL_*` variables and the envconfig profile
 * (`TEMPORAL_PROFILE`, `TEMPORAL_CONFIG_FILE`), with the embedded server's address as
 * the fallback when none is configured.
 */
export function temporalTarget(fallbackAddress?: string): TemporalTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const { address, ...rest } = connectionOptions;
  const resolved = process.env.TEMPORAL_ADDRESS ? address : (fallbackAddress ?? address);
  if (!resolved) throw new Error('no Temporal address: set TEMPORAL_ADDRESS (or use `npm start` for the embedded server)');
  return { address: resolved, namespace: namespace ?? 'default', connectionOptions: rest };
}

/**
 * The client's retries of "unavailable" and "busy", bounded to fit a request's 5 s deadline: the
 * SDK's default sleeps 100 ms × 1.7ⁿ up to ten times (about 28 s in all) and does not look at the
 * deadline, so an API request waited for the sleep in progress when its deadline passed (up to
 * 9.8 s measured with the dev server down). Here each sleep is at most 1 s (±20 %), eight tries
 * in all: a blip of a few seconds is ridden out, and an answer never comes more than about a
 * second after its deadline.
 */
export const boundedRetries = makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 8, maxIntervalMs: () => 1000 }));

/** A client that encrypts what it sends and decrypts what it reads with the key ring (codec/). */
export async function connectClient(target: TemporalTarget, ring: KeyRing): Promise<Client> {
  const { tls, apiKey, metadata } = target.connectionOptions;
  const connection = await Connection.connect({ address: target.address, tls, apiKey, metadata, interceptors: [boundedRetries] });
  return new Client({ connection, namespace: target.namespace, dataConverter: dataConverter(ring) });
}


export async function connectWorkerConnection(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({ ...target.connectionOptions, address: target.address });
}

const { IndexedValueType } = temporal.api.enums.v1;

export class MissingSearchAttributesError extends Error {}

export async function missingSearchAttributes(client: Client): Promise<string[]> {
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
    namespace: client.options.namespace,
  });
  return complaintSearchAttributes.filter((key) => !(customAttributes && key.name in customAttributes)).map((k) => k.name);
}

const indexedType = (type: string): temporal.api.enums.v1.IndexedValueType =>
  IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof IndexedValueType];

/** The `addSearchAttributes` request body for the given attributes (all of SPEC §5 by default). */
export function searchAttributeDefinitions(
  names: ReadonlySet<string> = new Set(complaintSearchAttributes.map((k) => k.name)),
): Record<string, temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(complaintSearchAttributes.filter((k) => names.has(k.name)).map((k) => [k.name, indexedType(k.type)]));
}

/** Registers what is missing (the embedded dev server); a no-op when all are there. */
export async function registerSearchAttributes(client: Client): Promise<string[]> {
  const missing = new Set(await missingSearchAttributes(client));
  if (missing.size === 0) return [];
  await client.connection.operatorService.addSearchAttributes({
    namespace: client.options.namespace,
    searchAttributes: searchAttributeDefinitions(missing),
  });
  return [...missing];
}

/** The start-up check against a server we did not start: fails loudly, naming each missing attribute. */
export async function requireSearchAttributes(client: Client): Promise<void> {
  const missing = await missingSearchAttributes(client);
  if (missing.length === 0) return;
  const byName = new Map(complaintSearchAttributes.map((k) => [k.name, k.type]));
  const commands = missing
    .map((name) => {
      const type = byName.get(name) === 'DATETIME' ? 'Datetime' : byName.get(name) === 'BOOL' ? 'Bool' : 'Keyword';
      return `temporal operator search-attribute create --namespace ${client.options.namespace} --name ${name} --type ${type}`;
    })
    .join('\n  ');
  throw new MissingSearchAttributesError(
    `Temporal namespace "${client.options.namespace}" lacks the search attributes ${missing.join(', ')}; create them with:\n  ${commands}`,
  );
}

/** How long the namespace keeps closed histories (the dev server's default namespace: one day). */
export async function namespaceRetentionMs(client: Client): Promise<number> {
  const { config } = await client.workflowService.describeNamespace({ namespace: client.options.namespace });
  const ttl = config?.workflowExecutionRetentionTtl;
  return ttl?.seconds ? Number(ttl.seconds) * 1000 + Math.floor((ttl.nanos ?? 0) / 1e6) : 24 * 3600 * 1000;
}
