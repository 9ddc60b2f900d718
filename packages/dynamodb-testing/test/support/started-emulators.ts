import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { RunningEmulator } from "@projectionkit/dynamodb-testing";
import { afterAll, expect } from "vitest";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

/**
 * Wraps a harness's start function so that every emulator it starts is stopped after the test
 * file's tests.
 */
export function stoppedAfterAll<O extends unknown[], E extends RunningEmulator & { stop(): Promise<void> }>(
  start: (...options: O) => Promise<E>,
): (...options: O) => Promise<E> {
  const started: E[] = [];
  afterAll(async () => {
    await Promise.all(started.map((emulator) => emulator.stop()));
  });
  return async (...options) => {
    const emulator = await start(...options);
    started.push(emulator);
    return emulator;
  };
}

/**
 * Checks what both harnesses promise of an emulator they started: it serves on 127.0.0.1 at its
 * port; its client tries once, in us-east-1; an item written through that client into a new table
 * named `table` reads back.
 */
export async function expectServesOnItsClient(emulator: RunningEmulator, table: string): Promise<void> {
  expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
  expect(await emulator.client.config.maxAttempts()).toBe(1);
  expect(await emulator.client.config.region()).toBe("us-east-1");
  const item = { pk: { S: "k1" }, payload: { M: { n: { N: "42" } } } };
  await createStringKeyTable(emulator.client, table);
  await emulator.client.send(new PutItemCommand({ TableName: table, Item: item }));
  const { Item } = await emulator.client.send(new GetItemCommand({ TableName: table, Key: { pk: item.pk }, ConsistentRead: true }));
  expect(Item).toEqual(item);
}
