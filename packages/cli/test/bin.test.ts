import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { encodeOffset } from "@projectionkit/core";
import { DynamoResourceRepository, versionItemKey } from "@projectionkit/dynamodb";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnvironment, noCredentialsEnvironment } from "./support/aws-environment.ts";
import { describeOnDynamoDBLocal } from "../../../test/support/dynamodb-clients.js";
import { startDynalite, type Dynalite } from "./support/emulators.ts";
import { closedPort, HANDLER, HANDLER_ROWS, keysOf, NEIGHBOUR, readWholeTable, seededItemCount, seedVersionTable, uniqueTable } from "./support/fixtures.ts";
import { latch, startInterposer } from "./support/interposer.ts";
import { finished, runBin, startBin } from "./support/run-cli.ts";

/**
 * The built `projectionkit` bin in a child process, as users run it, against dynalite started in
 * this process (and DynamoDB Local for the credentials it partitions by).
 */
const utf8 = new TextEncoder();
const env = emulatorEnvironment();

function rows(stdout: string): string[][] {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => line.startsWith("RESOURCE"));
  return header < 0 ? [] : lines.slice(header + 1, lines.indexOf("", header)).map((line) => line.split(/\s{2,}/));
}

let dynalite: Dynalite;
let client: DynamoDBClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = dynalite.client;
});
afterAll(() => dynalite.stop());

describe("the projectionkit bin", () => {
  it("prints its version and its help", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(await runBin(["--version"], env)).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await runBin(["reset", "--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: projectionkit reset [options]");
    expect(help.stdout).toContain("--yes");
  });

  it("versions (text and JSON), reset dry run, reset --yes and check on a shared table", async () => {
    const table = uniqueTable("bin-main");
    await seedVersionTable(client, table, { fillers: 3 });
    const flags = ["--endpoint", dynalite.endpoint, "--table", table];
    const before = await readWholeTable(client, table);

    const text = await runBin(["versions", ...flags, "--handler-key", HANDLER], env);
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(rows(text.stdout)).toEqual(HANDLER_ROWS);

    const json = await runBin(["versions", ...flags, "--handler-key", HANDLER, "--json"], env);
    expect(json.code).toBe(0);
    const lines = json.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { resource: { text: string | null }; version: { offset: string | null } });
    expect(lines.map((line) => [line.resource.text, line.version.offset]).sort()).toEqual(
      [["acc-1", "2"], ["acc-2", "0"], [null, null], [null, "18446744073709551615"]].sort(),
    );

    const dryRun = await runBin(["reset", ...flags, "--handler-key", HANDLER], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("dry run: would delete these 4 version items");
    expect(await readWholeTable(client, table)).toEqual(before);

    const reset = await runBin(["reset", ...flags, "--handler-key", HANDLER, "--yes"], env);
    expect(reset).toMatchObject({ code: 0, stderr: "" });
    expect(reset.stdout).toBe(`deleted 4 version items of handler ${HANDLER} from table ${table} (${seededItemCount({ fillers: 3 })} items read)\n`);
    expect(await readWholeTable(client, table)).toEqual(before.filter((item) => keysOf([item], HANDLER).length === 0));

    const check = await runBin(["check", ...flags], env);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^key schema\s+HASH HandlerAndResource \(B\) \(ok\)$/m);
  });

  it("exit codes: 2 for a bad handler key, 3 for a missing table, 5 without credentials, 6 for an unreachable endpoint", async () => {
    const badKey = await runBin(["versions", "--endpoint", dynalite.endpoint, "--table", "Versions", "--handler-key", "not-a-uuid"], env);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain("expected the projection's identity key, a UUID");

    const missing = await runBin(["check", "--endpoint", dynalite.endpoint, "--table", "NoSuchTable"], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("table NoSuchTable not found");

    const noCredentials = await runBin(["check", "--table", "Versions", "--region", "eu-west-1"], noCredentialsEnvironment());
    expect(noCredentials.code).toBe(5);
    expect(noCredentials.stderr).toContain("no AWS credentials found");

    const port = await closedPort();
    const unreachable = await runBin(["check", "--endpoint", `http://127.0.0.1:${port}`, "--table", "Versions"], env);
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toContain(`cannot reach http://127.0.0.1:${port}`);
  });

  it("Ctrl-C during versions abandons the page in flight, prints what it found and exits with 130", async () => {
    const table = uniqueTable("bin-int-versions");
    await seedVersionTable(client, table, { handlerExtra: 12, fillers: 8 });
    const held = latch();
    const release = latch();
    let scans = 0;
    await using proxy = await startInterposer(dynalite.endpoint, async ({ operation }) => {
      if (operation === "Scan" && ++scans === 2) {
        held.open();
        await release.wait();
      }
    });
    try {
      const child = startBin(["versions", "--endpoint", proxy.endpoint, "--table", table, "--handler-key", HANDLER, "--page-size", "5"], env);
      const done = finished(child);
      await held.wait();
      child.kill("SIGINT");
      const { code, stdout, stderr } = await done;

      expect(code).toBe(130);
      const found = Number(/^interrupted: the list is incomplete \((\d+) resources? found, 5 items read of ~0\)$/m.exec(stderr)?.[1]);
      expect(found).toBeLessThan(16);
      expect(rows(stdout)).toHaveLength(found);
      expect(scans).toBe(2);
    } finally {
      release.open();
    }
  });

  it("Ctrl-C during reset --yes stops after the deletes in flight, says how far it got and exits with 130; running it again finishes", async () => {
    const table = uniqueTable("bin-int-reset");
    await seedVersionTable(client, table, { handlerExtra: 12, fillers: 8 });
    const before = await readWholeTable(client, table);
    const held = latch();
    const release = latch();
    let deletes = 0;
    await using proxy = await startInterposer(dynalite.endpoint, async ({ operation }) => {
      deletes += operation === "DeleteItem" ? 1 : 0;
      if (operation === "Scan" && deletes > 0 && !held.isOpen()) {
        held.open(); // the first page after some deletes: hold it until the CLI is interrupted
        await release.wait();
      }
    });
    const argv = ["reset", "--table", table, "--handler-key", HANDLER, "--yes", "--page-size", "5", "--segments", "1"];
    try {
      const child = startBin([...argv, "--endpoint", proxy.endpoint], env);
      const done = finished(child);
      await held.wait();
      child.kill("SIGINT");
      const { code, stdout, stderr } = await done;

      expect(code).toBe(130);
      const deleted = Number(/^deleted (\d+) version items? of handler/.exec(stdout)?.[1]);
      expect(deleted).toBe(deletes);
      expect(stderr).toContain(`interrupted: deleted ${deleted} of the ${deleted} version item`);
      expect(stderr).toContain("Run the same command again to continue");
      const middle = await readWholeTable(client, table);
      expect(keysOf(middle, HANDLER)).toHaveLength(16 - deleted);
      expect(middle.length).toBe(before.length - deleted);
    } finally {
      release.open();
    }

    const again = await runBin([...argv, "--endpoint", dynalite.endpoint], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^deleted \d+ version items/);
    expect(await readWholeTable(client, table)).toEqual(before.filter((item) => keysOf([item], HANDLER).length === 0));
  });

  it("reset with a projection still writing keeps the advanced version, names it and exits with 7", async () => {
    const table = uniqueTable("bin-kept");
    await seedVersionTable(client, table);
    const acc1 = utf8.encode("acc-1");
    const acc1Key = Buffer.from(versionItemKey(HANDLER, acc1)).toString("base64");
    const writer = new DynamoResourceRepository(client, HANDLER, table);
    let wrote = false;
    await using proxy = await startInterposer(dynalite.endpoint, async ({ operation, body }) => {
      const key = (body["Key"] as { HandlerAndResource?: { B?: string } } | undefined)?.HandlerAndResource?.B;
      if (operation === "DeleteItem" && key === acc1Key && !wrote) {
        wrote = true;
        await writer.storeResourceVersion(acc1, encodeOffset(3)); // the projection applies offset 3 meanwhile
      }
    });

    const { code, stdout, stderr } = await runBin(["reset", "--endpoint", proxy.endpoint, "--table", table, "--handler-key", HANDLER, "--yes"], env);

    expect(code).toBe(7);
    expect(stdout).toContain("deleted 3 version items");
    expect(stdout).toContain("kept acc-1 (utf-8): its version changed from 2 (offset) to 3 (offset) during the reset");
    expect(stderr).toContain("is the projection still running?");
    expect(await writer.resourceVersion(acc1)).toEqual(encodeOffset(3));
    expect(keysOf(await readWholeTable(client, table), NEIGHBOUR)).toHaveLength(1);
  });
});

// DynamoDB Local only: it keeps one database per access key and region; dynalite ignores credentials.
describeOnDynamoDBLocal("the bin", (emulator) => {
  const client = emulator.client();

  it("uses the credentials and region of the environment, which DynamoDB Local keeps tables apart by", async () => {
    const table = uniqueTable("bin-local");
    const endpoint = await emulator.endpoint();
    await seedVersionTable(client, table);

    const seen = await runBin(["versions", "--endpoint", endpoint, "--table", table, "--handler-key", HANDLER], env);
    expect(seen.code).toBe(0);
    expect(rows(seen.stdout)).toEqual(HANDLER_ROWS);

    const otherKey = await runBin(["check", "--endpoint", endpoint, "--table", table], { ...env, AWS_ACCESS_KEY_ID: "someoneelse" });
    expect(otherKey.code).toBe(3);
    expect(otherKey.stderr).toContain("DynamoDB Local keeps one database per access key and region");
  });
});
