import { ScanCommand, type DynamoDBClient, type DynamoDBClientConfig, type TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { beforeAll, expect } from "vitest";
import { createEventScope, isProjectionKitError, streamEventVersions, type ProjectionKitErrorCodes } from "@projectionkit/core";
import { createTable, dynamoProjection, DynamoResourceRepository, type DynamoAdapterOptions, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { uniqueTableName, type TestEmulator } from "./clients.js";
import { logRequests, type RequestLog } from "./faults.js";
import { createKeyedTable, createStringKeyTable, keySchema } from "../../../../test/support/dynamodb-tables.js";

/** The handler keys of the two projections of a world: they share its version table. */
export const HANDLER_KEY = "3c0e9f1a-6d2b-4e8f-9a7c-1b2d3e4f5a6b";
export const OTHER_HANDLER_KEY = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

/** An event whose items the test decides: the handler returns `items(event)`. */
export interface ItemsEvent {
  readonly type: "Items";
  readonly id: string;
}

/** A handler of {@link ItemsEvent}s that returns what `items` gives for each event. */
export function itemsHandler(items: (event: ItemsEvent) => TransactWriteItem[] | Promise<TransactWriteItem[]>, key = HANDLER_KEY): DynamoProjectionHandler<ItemsEvent> {
  return {
    configure(c) {
      c.identity(key === HANDLER_KEY ? "world" : "other-world", key);
      c.handlesEvents("Items");
    },
    handleEvent: (_scope, event) => items(event),
  };
}

/**
 * The tables of a world on one emulator: a version table, a read model keyed by `pk` (S), a read
 * model keyed by `pk` and `sk` (S, S), and a decoy version table that no adapter is bound to (a
 * retargeted request would land there). `snapshot()` reads every table through a client of its own.
 */
export interface WorldTables {
  readonly emulator: TestEmulator;
  readonly versions: string;
  readonly model: string;
  readonly composite: string;
  readonly decoy: string;
  /** Every item of every table of the world, in a canonical text form, by table. */
  snapshot(): Promise<Record<string, string[]>>;
}

/** A world's tables with a client that logs every request it sends. */
export interface World extends WorldTables {
  readonly client: DynamoDBClient;
  readonly log: RequestLog;
}

/**
 * A world's tables on `emulator`, created in a `beforeAll` of the suite being collected (once per
 * suite is enough: worlds differ by their clients). Its fields can be read from that hook on.
 */
export function worldTables(emulator: TestEmulator, prefix: string): WorldTables {
  let created: WorldTables | undefined;
  beforeAll(async () => {
    created = await createWorld(emulator, prefix);
  });
  const tables = (): WorldTables => {
    if (created === undefined) {
      throw new Error("the world's tables are used before the suite's beforeAll created them");
    }
    return created;
  };
  return {
    emulator,
    get versions() {
      return tables().versions;
    },
    get model() {
      return tables().model;
    },
    get composite() {
      return tables().composite;
    },
    get decoy() {
      return tables().decoy;
    },
    snapshot: () => tables().snapshot(),
  };
}

async function createWorld(emulator: TestEmulator, prefix: string): Promise<WorldTables> {
  const setup = emulator.client();
  const versions = uniqueTableName(`${prefix}-versions`);
  const decoy = uniqueTableName(`${prefix}-decoy`);
  const model = uniqueTableName(`${prefix}-model`);
  const composite = uniqueTableName(`${prefix}-composite`);
  await createTable(setup, versions);
  await createTable(setup, decoy);
  await createStringKeyTable(setup, model);
  await createKeyedTable(setup, composite, keySchema(["pk", "S"], ["sk", "S"]));
  const tables = [versions, decoy, model, composite];
  return {
    emulator,
    versions,
    decoy,
    model,
    composite,
    snapshot: async () => {
      const result: Record<string, string[]> = {};
      for (const table of tables) {
        const { Items = [] } = await setup.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
        result[table] = Items.map((item) => canonical(item)).sort();
      }
      return result;
    },
  };
}

/** A world's tables with a fresh, logged client (so that no cache of another test applies). */
export function withClient(tables: WorldTables, config: DynamoDBClientConfig = {}): World {
  const client = tables.emulator.client(config);
  return { ...tables, client, log: logRequests(client) };
}

/** A projection of the world's handler `items`, bound to its version table. */
export function projectionOf(world: World, items: (event: ItemsEvent) => TransactWriteItem[], options?: DynamoAdapterOptions) {
  return dynamoProjection(world.client, world.versions, itemsHandler(items), options);
}

/** A repository of the world's handler key on its version table. */
export function repositoryOf(world: World, options?: DynamoAdapterOptions, key = HANDLER_KEY): DynamoResourceRepository {
  return new DynamoResourceRepository(world.client, key, world.versions, options);
}

let streams = 0;

/** The versions of the first event of a stream no other test uses. */
export function freshEvent(): { resource: Uint8Array; current: Uint8Array; next: Uint8Array; stream: string } {
  streams++;
  const stream = `stream-${process.pid}-${streams}`;
  return { ...streamEventVersions(stream, 0), stream };
}

export const scope = createEventScope();

/**
 * Runs `call`, which must be refused with `code` before anything reaches DynamoDB: the error has
 * that code, the world's client sent no request at all, and no table of the world changed.
 */
export async function expectRefused<C extends keyof ProjectionKitErrorCodes>(world: World, code: C, call: () => Promise<unknown>): Promise<ProjectionKitErrorCodes[C]> {
  const before = await world.snapshot();
  world.log.reset();
  const error = await call().then(
    (value) => ({ resolved: value }),
    (e: unknown) => e,
  );
  expect(isProjectionKitError(error, code), `expected ${code}, got ${String((error as Error)?.stack ?? JSON.stringify(error))}`).toBe(true);
  expect(world.log.commands).toEqual([]);
  expect(await world.snapshot()).toEqual(before);
  return error as ProjectionKitErrorCodes[C];
}

/** An item in a canonical text form: attributes sorted, bytes as hex. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Uint8Array) {
      return `bytes:${Buffer.from(item).toString("hex")}`;
    }
    if (typeof item === "object" && item !== null && !Array.isArray(item)) {
      return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return item;
  });
}
