import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, inject } from "vitest";
import { dynamoDBLocalUnavailable } from "../../../../test/support/dynamodb-clients.js";
import { createDynamoDBLocalClient, startDynalite } from "./emulators.ts";

/** A running emulator: its endpoint and a client for it. */
export interface RunningEmulator {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Another client, e.g. to add middleware to; destroyed by `stop`. */
  createClient(): DynamoDBClient;
  stop(): Promise<void>;
}

/** One of the emulators the CLI is checked on. */
export interface Emulator {
  readonly name: string;
  /** Whether DescribeTable's ItemCount and TableSizeBytes are up to date (dynalite's stay 0). */
  readonly countsItems: boolean;
  start(): Promise<RunningEmulator>;
}

const DYNALITE: Emulator = {
  name: "dynalite",
  countsItems: false,
  async start() {
    const dynalite = await startDynalite();
    return { endpoint: dynalite.endpoint, client: dynalite.client, createClient: () => dynalite.createClient(), stop: () => dynalite.stop() };
  },
};

/** The DynamoDB Local that the shared global setup (test/support/dynamodb-local-setup.ts) started. */
const DYNAMODB_LOCAL: Emulator = {
  name: "DynamoDB Local",
  countsItems: true,
  async start() {
    const endpoint = inject("dynamodbLocalEndpoint");
    const clients = [createDynamoDBLocalClient(endpoint)];
    const createClient = (): DynamoDBClient => {
      const client = createDynamoDBLocalClient(endpoint);
      clients.push(client);
      return client;
    };
    return { endpoint, client: clients[0]!, createClient, stop: async () => clients.forEach((client) => client.destroy()) };
  },
};

/** The two emulators every command is checked on: dynalite in this process, and the shared DynamoDB Local. */
export const EMULATORS: readonly Emulator[] = [DYNALITE, DYNAMODB_LOCAL];

/**
 * Registers `suite` once per emulator, titled `<title> on <emulator>`. Without Java, the DynamoDB
 * Local suite shows as skipped with the reason (the shared setup refuses that under CI=true).
 *
 * @param title - the suite's title.
 * @param suite - the suite, given the emulator.
 * @param emulators - the emulators; default both.
 */
export function describeOnEmulators(title: string, suite: (emulator: Emulator) => void, emulators: readonly Emulator[] = EMULATORS): void {
  for (const emulator of emulators) {
    const unavailable = emulator === DYNAMODB_LOCAL ? dynamoDBLocalUnavailable() : undefined;
    if (unavailable === undefined) {
      describe(`${title} on ${emulator.name}`, () => suite(emulator));
    } else {
      describe.skip(`${title} on ${emulator.name} [skipped: ${unavailable}]`, () => suite(emulator));
    }
  }
}
