import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { encodeOffset } from "@projectionkit/core";
import { createTable, DynamoResourceRepository } from "@projectionkit/dynamodb";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emulatorEnvironment, noCredentialsEnvironment, stubEnvironment } from "./support/aws-environment.ts";
import { describeOnEmulators } from "../../../test/support/dynamodb-clients.js";
import { createKeyedTable, keySchema } from "../../../test/support/dynamodb-tables.js";
import { closedPort, countsItems, FOREIGN, HANDLER, HANDLER_ROWS, keysOf, NEIGHBOUR, readWholeTable, seededItemCount, seedVersionTable, uniqueTable, UPPER } from "./support/fixtures.ts";
import { runInProcess } from "./support/run-cli.ts";

/** The rows of a `versions` or dry-run listing: the lines between the header and the first blank line. */
function listedRows(stdout: string): string[][] {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => line.startsWith("RESOURCE"));
  expect(lines[header]?.split(/\s{2,}/)).toEqual(["RESOURCE", "FORM", "VERSION", "FORM"]);
  const end = lines.indexOf("", header);
  return lines.slice(header + 1, end).map((line) => line.split(/\s{2,}/));
}

const utf8 = new TextEncoder();

describeOnEmulators("the commands", (emulator) => {
  const client = emulator.client();
  const table = uniqueTable("cli-commands");
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await emulator.endpoint();
    await seedVersionTable(client, table, { fillers: 12 });
  });
  beforeEach(() => stubEnvironment(emulatorEnvironment()));

  const common = (): string[] => ["--endpoint", endpoint, "--table", table];

  it("versions lists exactly the projection's resources, sorted, with the form of each column", async () => {
    const { code, stdout, stderr } = await runInProcess(["versions", ...common(), "--handler-key", HANDLER]);

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(listedRows(stdout)).toEqual(HANDLER_ROWS);
    expect(stdout).toContain(`\n4 resources of handler ${HANDLER} in table ${table} (${seededItemCount({ fillers: 12 })} items read, 1 segment)\n`);
  });

  it("versions of the neighbour, upper-case and unknown keys list only their own items", async () => {
    const neighbour = await runInProcess(["versions", ...common(), "--handler-key", NEIGHBOUR]);
    expect(listedRows(neighbour.stdout).map((row) => row[0])).toEqual(["acc-1", ...Array.from({ length: 12 }, (_, i) => `filler-${i}`).sort()]);
    expect(listedRows(neighbour.stdout)[0]).toEqual(["acc-1", "utf-8", "7", "offset"]);

    const upper = await runInProcess(["versions", ...common(), "--handler-key", UPPER]);
    expect(listedRows(upper.stdout)).toEqual([["acc-1", "utf-8", "5", "offset"]]);

    const unknown = await runInProcess(["versions", ...common(), "--handler-key", "3b4cf2d3-0000-4000-8000-000000000000"]);
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toMatch(/^no resources of handler 3b4cf2d3-0000-4000-8000-000000000000 in table /);
  });

  it("versions --json prints one JSON line per resource, raw (hex, base64) and decoded (text, offset)", async () => {
    const { code, stdout } = await runInProcess(["versions", ...common(), "--handler-key", HANDLER, "--json"]);

    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { resource: { hex: string } });
    const byResource = new Map(lines.map((line) => [line.resource.hex, line]));
    const bytes = (b: Uint8Array | string) => Buffer.from(typeof b === "string" ? utf8.encode(b) : b);
    const form = (b: Buffer) => ({ hex: b.toString("hex"), base64: b.toString("base64") });
    expect(lines).toHaveLength(4);
    expect(byResource.get(bytes("acc-1").toString("hex"))).toEqual({
      resource: { ...form(bytes("acc-1")), text: "acc-1" },
      version: { ...form(bytes(encodeOffset(2))), offset: "2" },
    });
    expect(byResource.get(bytes("acc-2").toString("hex"))).toEqual({
      resource: { ...form(bytes("acc-2")), text: "acc-2" },
      version: { ...form(bytes(encodeOffset(0))), offset: "0" },
    });
    expect(byResource.get("00ff")).toEqual({
      resource: { ...form(bytes(new Uint8Array([0, 255]))), text: null },
      version: { ...form(bytes(new Uint8Array([1, 2, 3]))), offset: null },
    });
    expect(byResource.get(bytes("my stream").toString("hex"))).toEqual({
      resource: { ...form(bytes("my stream")), text: null },
      version: { ...form(bytes(encodeOffset((1n << 64n) - 1n))), offset: "18446744073709551615" },
    });
  });

  it("versions in parallel segments and small pages finds the same resources and reads every item once", async () => {
    const { code, stdout } = await runInProcess(["versions", ...common(), "--handler-key", HANDLER, "--segments", "3", "--page-size", "2"]);

    expect(code).toBe(0);
    expect(listedRows(stdout)).toEqual(HANDLER_ROWS);
    expect(stdout).toContain(`(${seededItemCount({ fillers: 12 })} items read, 3 segments)`);
  });

  it("reset without --yes lists what it would delete and changes nothing", async () => {
    const before = await readWholeTable(client, table);

    const { code, stdout } = await runInProcess(["reset", ...common(), "--handler-key", HANDLER]);

    expect(code).toBe(0);
    expect(listedRows(stdout)).toEqual(HANDLER_ROWS);
    expect(stdout).toContain(`dry run: would delete these 4 version items of handler ${HANDLER} in table ${table}`);
    expect(stdout).toContain("Nothing was changed");
    expect(await readWholeTable(client, table)).toEqual(before);
  });

  it("reset --yes deletes exactly the projection's items, and again deletes nothing", async () => {
    const resetTable = uniqueTable("cli-reset");
    await seedVersionTable(client, resetTable, { fillers: 5, handlerExtra: 7 });
    const before = await readWholeTable(client, resetTable);
    const handlerKeys = keysOf(before, HANDLER);
    expect(handlerKeys).toHaveLength(11);
    for (const other of [NEIGHBOUR, UPPER, FOREIGN]) {
      expect(keysOf(before, other).length).toBeGreaterThan(0);
    }

    const run = await runInProcess(["reset", "--endpoint", endpoint, "--table", resetTable, "--handler-key", HANDLER, "--yes", "--page-size", "4", "--segments", "2"]);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`deleted 11 version items of handler ${HANDLER} from table ${resetTable} (${before.length} items read)`);
    const after = await readWholeTable(client, resetTable);
    expect(after).toEqual(before.filter((item) => keysOf([item], HANDLER).length === 0));

    const again = await runInProcess(["reset", "--endpoint", endpoint, "--table", resetTable, "--handler-key", HANDLER, "--yes"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("deleted 0 version items");
    expect(await readWholeTable(client, resetTable)).toEqual(after);
  });

  it("check: a good table says ok, its billing mode, item count and size", async () => {
    const { code, stdout } = await runInProcess(["check", ...common()]);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^table\\s+${table}$`, "m"));
    expect(stdout).toMatch(/^status\s+ACTIVE$/m);
    expect(stdout).toMatch(/^key schema\s+HASH HandlerAndResource \(B\) \(ok\)$/m);
    expect(stdout).toMatch(/^billing mode\s+PAY_PER_REQUEST$/m);
    // DynamoDB Local counts items and bytes at once; dynalite never does (AWS every six hours).
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.ItemCount).toBe(countsItems(emulator) ? seededItemCount({ fillers: 12 }) : 0);
    expect(Number(/^items\s+(\d+)/m.exec(stdout)?.[1])).toBe(Table?.ItemCount);
    expect(Number(/^size\s+.*\((\d+) bytes\)$/m.exec(stdout)?.[1])).toBe(Table?.TableSizeBytes);
    expect(Table?.TableSizeBytes === 0).toBe(!countsItems(emulator));

    const json = await runInProcess(["check", ...common(), "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      table,
      status: "ACTIVE",
      keySchema: "HASH HandlerAndResource (B)",
      keySchemaMatches: true,
      billingMode: "PAY_PER_REQUEST",
      provisioned: null,
      itemCount: countsItems(emulator) ? seededItemCount({ fillers: 12 }) : 0,
    });
  });

  it("check: a table with another key schema exits with 4 and says which; versions and reset refuse it too", async () => {
    const other = uniqueTable("cli-other-schema");
    await createKeyedTable(client, other, keySchema(["pk", "S"], ["sk", "S"]), {
      BillingMode: "PROVISIONED",
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
    });

    const { code, stdout, stderr } = await runInProcess(["check", "--endpoint", endpoint, "--table", other]);

    expect(code).toBe(4);
    expect(stdout).toMatch(/^key schema\s+HASH pk \(S\), RANGE sk \(S\) \(WRONG: expected HASH HandlerAndResource \(B\)\)$/m);
    expect(stdout).toMatch(/^billing mode\s+PROVISIONED \(5 read units, 3 write units\)$/m);
    expect(stderr).toContain(`table ${other} has key schema HASH pk (S), RANGE sk (S); the version table needs HASH HandlerAndResource (B)`);
    for (const command of [["versions"], ["reset", "--yes"]]) {
      const refused = await runInProcess([...command, "--endpoint", endpoint, "--table", other, "--handler-key", HANDLER]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain("the version table needs HASH HandlerAndResource (B)");
    }
  });

  it("--key-attribute and --version-attribute name the attributes of a table made with other names", async () => {
    const named = uniqueTable("cli-named");
    const attributeNames = { key: "pk", version: "ver", token: "tok" };
    await createTable(client, named, { attributeNames });
    await new DynamoResourceRepository(client, HANDLER, named, { attributeNames }).storeResourceVersion(utf8.encode("acc-1"), encodeOffset(4));
    const flags = ["--endpoint", endpoint, "--table", named];

    expect((await runInProcess(["check", ...flags])).code).toBe(4);
    expect((await runInProcess(["check", ...flags, "--key-attribute", "pk"])).code).toBe(0);
    const listed = await runInProcess(["versions", ...flags, "--handler-key", HANDLER, "--key-attribute", "pk", "--version-attribute", "ver"]);
    expect(listed.code).toBe(0);
    expect(listedRows(listed.stdout)).toEqual([["acc-1", "utf-8", "4", "offset"]]);
  });

  it("a missing table exits with 3 and is named, for every command", async () => {
    const missing = uniqueTable("cli-missing");
    for (const argv of [["check"], ["versions", "--handler-key", HANDLER], ["reset", "--handler-key", HANDLER, "--yes"]]) {
      const { code, stdout, stderr } = await runInProcess([...argv, "--endpoint", endpoint, "--table", missing]);
      expect(code).toBe(3);
      expect(stdout).toBe("");
      expect(stderr).toContain(`projectionkit: table ${missing} not found at ${endpoint}`);
    }
  });

  it("with --endpoint and no credentials anywhere, it signs with placeholder credentials and works", async () => {
    stubEnvironment(noCredentialsEnvironment());

    const { code, stdout } = await runInProcess(["check", ...common()]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/\(ok\)$/m);
  });
});

describe("errors before any request", () => {
  beforeEach(() => stubEnvironment(emulatorEnvironment()));

  it.each([
    ["a handler key that is not a UUID", ["versions", "--table", "Versions", "--handler-key", "balances"], "option '--handler-key <uuid>' argument 'balances' is invalid. expected the projection's identity key, a UUID"],
    ["a handler key with a trailing space", ["reset", "--table", "Versions", "--handler-key", `${HANDLER} `], "argument '0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11 ' is invalid"],
    ["no --table", ["check"], "required option '--table <name>' not specified"],
    ["no --handler-key", ["versions", "--table", "Versions"], "required option '--handler-key <uuid>' not specified"],
    ["a table name that DynamoDB refuses", ["check", "--table", "a b"], "option '--table <name>' argument 'a b' is invalid. expected a table name"],
    ["an endpoint that is not a URL", ["check", "--table", "Versions", "--endpoint", "localhost:8000"], "option '--endpoint <url>' argument 'localhost:8000' is invalid. expected an http or https URL"],
    ["zero segments", ["versions", "--table", "Versions", "--handler-key", HANDLER, "--segments", "0"], "expected an integer from 1 to 1000000"],
    ["a page size that is not a number", ["versions", "--table", "Versions", "--handler-key", HANDLER, "--page-size", "ten"], "expected an integer from 1 to"],
    ["an unknown option", ["check", "--table", "Versions", "--force"], "unknown option '--force'"],
    ["an unknown command", ["rebuild"], "unknown command 'rebuild'"],
  ])("%s exits with 2 and says what is wrong", async (_label, argv, message) => {
    const { code, stdout, stderr } = await runInProcess(argv);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).toContain("(run with --help for usage)");
  });

  it("no region (and no endpoint) exits with 2 and says how to give one", async () => {
    stubEnvironment(noCredentialsEnvironment());

    const { code, stderr } = await runInProcess(["check", "--table", "Versions"]);

    expect(code).toBe(2);
    expect(stderr).toContain("projectionkit: no AWS region: pass --region");
  });

  it("no credentials (and no endpoint) exits with 5 and says how to provide them", async () => {
    stubEnvironment(noCredentialsEnvironment());

    const { code, stderr } = await runInProcess(["check", "--table", "Versions", "--region", "eu-west-1"]);

    expect(code).toBe(5);
    expect(stderr).toContain("projectionkit: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    expect(stderr).toContain("AWS_PROFILE");
  });

  it("an endpoint that nothing listens on exits with 6", async () => {
    const port = await closedPort();

    const { code, stderr } = await runInProcess(["check", "--table", "Versions", "--endpoint", `http://127.0.0.1:${port}`]);

    expect(code).toBe(6);
    expect(stderr).toContain(`projectionkit: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it("--help of each command exits with 0 and shows its options and examples", async () => {
    for (const [command, option] of [["versions", "--json"], ["reset", "--yes"], ["check", "--key-attribute"]] as const) {
      const { code, stdout } = await runInProcess([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: projectionkit ${command} [options]`);
      expect(stdout).toContain(option);
      expect(stdout).toContain(`$ projectionkit ${command} --table ProjectionVersions`);
    }
    const root = await runInProcess(["--help"]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^Exit codes:$/m);
  });
});
