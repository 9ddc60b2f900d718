import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { beforeAll, expect, it } from "vitest";
import { encodeOffset, isProjectionKitError, type VersionConflict } from "@projectionkit/core";
import { createTable, DynamoResourceRepository } from "@projectionkit/dynamodb";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { logRequests, type RequestLog } from "../support/faults.js";
import { LEDGER_KEY } from "../support/ledger.js";

describeOnEmulators("DynamoResourceRepository", (emulator) => {
  const client = emulator.client();
  const table = uniqueTableName("repo");
  const v1 = encodeOffset(1);
  const v2 = encodeOffset(2);
  let counter = 0;

  /** A repository on its own client, whose requests are logged, and a resource no other test uses. */
  function fresh(options?: ConstructorParameters<typeof DynamoResourceRepository>[3]): {
    repository: DynamoResourceRepository;
    resource: Uint8Array;
    log: RequestLog;
  } {
    counter++;
    const own = emulator.client();
    const log = logRequests(own);
    return {
      repository: new DynamoResourceRepository(own, LEDGER_KEY, table, options),
      resource: new TextEncoder().encode(`stream-${counter}`),
      log,
    };
  }

  beforeAll(async () => {
    await createTable(client, table);
  });

  it("R1/D13: a resource never written has the empty version; a stored one reads back", async () => {
    const { repository, resource } = fresh();
    expect(await repository.resourceVersion(resource)).toEqual(new Uint8Array());
    await repository.storeResourceVersion(resource, v1);
    expect(await repository.resourceVersion(resource)).toEqual(v1);
  });

  it("R1/D13: reads are strongly consistent by default (pitfall GP6)", async () => {
    const strong = fresh();
    await strong.repository.resourceVersion(strong.resource);
    expect(strong.log.commands).toEqual(["GetItemCommand"]);
    expect((strong.log.inputs[0] as { ConsistentRead?: boolean }).ConsistentRead).toBe(true);
    const eventual = fresh({ consistentRead: false });
    await eventual.repository.resourceVersion(eventual.resource);
    expect((eventual.log.inputs[0] as { ConsistentRead?: boolean }).ConsistentRead).toBe(false);
  });

  it("R2: storing overwrites; storing the empty version deletes the item, and creating again works (pitfall GP1)", async () => {
    const { repository, resource } = fresh();
    await repository.storeResourceVersion(resource, v2);
    await repository.storeResourceVersion(resource, v1);
    expect(await repository.resourceVersion(resource)).toEqual(v1);
    await repository.storeResourceVersion(resource, new Uint8Array());
    expect(await rawItem(resource)).toBeUndefined();
    expect(await repository.updateResourceVersion(resource, undefined, v1)).toBe(true);
    expect(await repository.resourceVersion(resource)).toEqual(v1);
  });

  // R3's matching and mismatching versions are the conformance kit's R3 examples, which this
  // repository runs too (test/conformance); what only DynamoDB can show is that the item is gone.
  it("R3: updating to the empty version deletes the item itself", async () => {
    const { repository, resource } = fresh();
    await repository.storeResourceVersion(resource, v1);
    expect(await repository.updateResourceVersion(resource, v1, undefined)).toBe(true);
    expect(await rawItem(resource)).toBeUndefined();
  });

  it("R3/H7: a conflict reports the stored version from the same round trip (no extra read)", async () => {
    const { repository, resource, log } = fresh();
    await repository.storeResourceVersion(resource, v2);
    log.reset();
    const conflicts: VersionConflict[] = [];
    expect(await repository.updateResourceVersion(resource, v1, encodeOffset(9), { onConflict: (c) => conflicts.push(c) })).toBe(false);
    expect(log.commands).toEqual(["UpdateItemCommand"]);
    expect(conflicts.map((c) => [...c.storedVersion])).toEqual([[...v2]]);
  });

  it("R4: deleteResource removes the item and is idempotent", async () => {
    const { repository, resource } = fresh();
    await repository.storeResourceVersion(resource, v1);
    await repository.deleteResource(resource);
    await repository.deleteResource(resource);
    expect(await repository.resourceVersion(resource)).toEqual(new Uint8Array());
    expect(await rawItem(resource)).toBeUndefined();
  });

  it("R5: c empty means absent; c and n both empty succeed iff absent and write nothing", async () => {
    const { repository, resource, log } = fresh();
    expect(await repository.updateResourceVersion(resource, undefined, undefined)).toBe(true);
    expect(log.commands).toEqual(["GetItemCommand"]);
    expect(await rawItem(resource)).toBeUndefined();
    expect(await repository.updateResourceVersion(resource, undefined, v1)).toBe(true);
    expect(await repository.updateResourceVersion(resource, undefined, v2)).toBe(false);
    expect(await repository.updateResourceVersion(resource, undefined, undefined)).toBe(false);
    expect(await repository.resourceVersion(resource)).toEqual(v1);
  });

  it("R6: of 20 concurrent updates with the same c, exactly one resolves true", async () => {
    const { repository, resource } = fresh();
    await repository.storeResourceVersion(resource, v1);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => repository.updateResourceVersion(resource, v1, encodeOffset(100 + i)).catch((error: unknown) => error)),
    );
    const wins = results.filter((result) => result === true);
    const errors = results.filter((result) => typeof result !== "boolean");
    // DynamoDB may answer a racing write with TransactionConflict; that is an error, never a win.
    for (const error of errors) expect(isProjectionKitError(error) && error.retryable).toBe(true);
    expect(wins).toHaveLength(1);
    expect(await repository.resourceVersion(resource)).toEqual(encodeOffset(100 + results.indexOf(true)));
  });

  it("D3/E1: a resource whose key would exceed 2048 bytes is rejected before any request", async () => {
    const { repository, log } = fresh();
    const fits = new Uint8Array(2048 - LEDGER_KEY.length - 1).fill(7);
    expect(await repository.resourceVersion(fits)).toEqual(new Uint8Array());
    log.reset();
    const tooLong = new Uint8Array(fits.length + 1).fill(7);
    for (const call of [
      () => repository.resourceVersion(tooLong),
      () => repository.updateResourceVersion(tooLong, undefined, v1),
      () => repository.storeResourceVersion(tooLong, v1),
      () => repository.deleteResource(tooLong),
    ]) {
      await expect(call()).rejects.toSatisfy((error: unknown) => isProjectionKitError(error, "ERR_INVALID_RESOURCE") && error.argument === "resource");
    }
    expect(log.count()).toBe(0);
  });

  it("E1: malformed arguments are typed errors and send nothing", async () => {
    const { repository, resource, log } = fresh();
    await expect(repository.updateResourceVersion(resource, "v" as never, v1)).rejects.toMatchObject({ code: "ERR_INVALID_VERSION", argument: "current" });
    await expect(repository.storeResourceVersion(new Uint8Array(), v1)).rejects.toMatchObject({ code: "ERR_INVALID_RESOURCE" });
    await expect(repository.updateResourceVersionAndTransactionItems(resource, undefined, v1, [{}] as never)).rejects.toMatchObject({
      code: "ERR_INVALID_ARGUMENT",
      argument: "items[0]",
    });
    expect(log.count()).toBe(0);
  });

  async function rawItem(resource: Uint8Array): Promise<Record<string, unknown> | undefined> {
    const key = new Uint8Array([...new TextEncoder().encode(`${LEDGER_KEY} `), ...resource]);
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { HandlerAndResource: { B: key } }, ConsistentRead: true }));
    return Item;
  }
});
