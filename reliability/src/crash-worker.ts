import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, nextStreamOffset, streamResource, type SourceEvent } from "@projectionkit/core";
import { createDynamoDBLocalClient } from "@projectionkit/dynamodb-testing";
import { AtLeastOnceSource } from "./at-least-once-source.js";
import { WORKER_HEADER } from "./commit-gate.js";
import { ownsStream, WORKER_CONFIG_ENV, type CrashWorkerConfig, type WorkerMessage } from "./crash-protocol.js";
import { makeDepositHistory, type Deposit } from "./deposit-history.js";
import { dynamoLedgerProjection } from "./dynamo-ledger-projection.js";
import { seededRandom } from "./seeded-random.js";

// One worker process of the crash run (forked by crash-run.ts): it owns some streams, resumes
// each from its stored version, and delivers the rest at least once through a DeliveryDriver,
// until everything it owns has settled. The parent may SIGKILL it at any moment.
const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? "null") as CrashWorkerConfig | null;
if (config === null || typeof process.send !== "function") {
  throw new Error(`crash-worker.ts runs as a child of crash-run.ts, with ${WORKER_CONFIG_ENV} set`);
}

const history = makeDepositHistory(config.streams, config.eventsPerStream, seededRandom(config.seed));
const client = createDynamoDBLocalClient(config.endpoint, { maxAttempts: 1 });
nameRequests(client, process.pid);
const projection = dynamoLedgerProjection(client, config.tables, config.breakage);

const owned = history.streams.filter((_, index) => ownsStream(config.slot, config.slots, index));
const remaining: SourceEvent<Deposit>[] = [];
let stored = 0;
for (const stream of owned) {
  const from = Number(nextStreamOffset(await projection.resourceVersion(streamResource(stream))));
  stored += from;
  remaining.push(...history.events.filter((event) => event.stream === stream && Number(event.offset) >= from));
}
await send({ type: "resumed", owned: owned.length * config.eventsPerStream, stored });

const source = new AtLeastOnceSource(remaining, {
  random: seededRandom(config.seed * 7_919 + config.slot * 131 + config.generation),
  redeliveryDelay: 20,
});
// One commit per event (maxBatchSize 1): the parent spreads its kills by the commits the emulator
// applied, counted against the events, and the ledger coalesces a batched run into one commit.
const driver = new DeliveryDriver(projection, { concurrency: 4, maxBatchSize: 1, retry: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 50 } });
while (!source.drained) {
  const batch = source.take(20);
  if (batch.length === 0) {
    await source.changed();
    continue;
  }
  source.settle((await driver.deliverAll(batch)).reports);
}
await send({ type: "finished", deliveries: source.deliveries });
client.destroy();
process.disconnect();

/** Names the process on every request, so that the commit gate knows whose commit is on the wire. */
function nameRequests(target: DynamoDBClient, pid: number): void {
  type Handler = (args: { request: { headers: Record<string, string> } }) => Promise<unknown>;
  const middleware = (next: Handler) => (args: Parameters<Handler>[0]) => {
    args.request.headers[WORKER_HEADER] = String(pid);
    return next(args);
  };
  target.middlewareStack.add(middleware as never, { step: "build", name: "crashWorkerName" });
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, undefined, {}, (error) => (error === null ? resolve() : reject(error)));
  });
}
