import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { createDynamoDBLocalClient, startDynalite } from "./emulators.ts";

/** A running emulator: its endpoint and a client for it. */
export interface RunningEmulator {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Another client, e.g. to add middleware to; destroyed by `stop`. */
  createClient(): DynamoDBClient;
  stop(): Promise<void>;
}

/** The two emulators every command is checked on: dynalite in this process, and the shared DynamoDB Local. */
export const EMULATORS: ReadonlyArray<{ readonly name: string; readonly countsItems: boolean; start(): Promise<RunningEmulator> }> = [
  {
    name: "dynalite",
    countsItems: false, // DescribeTable's ItemCount stays 0
    async start() {
      const dynalite = await startDynalite();
      return { endpoint: dynalite.endpoint, client: dynalite.client, createClient: () => dynalite.createClient(), stop: () => dynalite.stop() };
    },
  },
  {
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
  },
];
