import { isProjectionKitError, type ProjectionKitError } from "@projectionkit/core";
import {
  DynamoDBLocalStartFailedError,
  JavaNotFoundError,
  startDynamoDBLocal,
  type StartDynamoDBLocalOptions,
} from "@projectionkit/dynamodb-testing";
import { chmod, readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeNeedingJava, emulatorForSuite } from "../support/clients.js";
import { rejection } from "../../../../test/support/rejection.js";
import { scratchDirectory } from "../../../../test/support/scratch-directory.js";

const scratch = scratchDirectory("start-failures");

describe("startDynamoDBLocal failures", () => {
  it("a missing java gives ERR_JAVA_NOT_FOUND with the install hint", async () => {
    const javaPath = join(scratch(), "no-such-jdk", "bin", "java");
    const error = await rejection(startDynamoDBLocal({ javaPath }));
    expect(isProjectionKitError(error, "ERR_JAVA_NOT_FOUND")).toBe(true);
    expect(error).toBeInstanceOf(JavaNotFoundError);
    const notFound = error as JavaNotFoundError;
    expect(notFound.name).toBe("JavaNotFoundError");
    expect(notFound.javaPath).toBe(javaPath);
    expect(notFound.message).toContain("apt-get install -y openjdk-17-jre-headless");
    expect(notFound.message).toContain("JAVA_HOME");
    expect(notFound.message).toContain("ENOENT");
    expect((notFound.cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("JAVA_HOME picks the java executable when options.javaPath is absent", async () => {
    const previous = process.env["JAVA_HOME"];
    process.env["JAVA_HOME"] = join(scratch(), "fake-java-home");
    try {
      const error = await rejection(startDynamoDBLocal());
      expect(isProjectionKitError(error, "ERR_JAVA_NOT_FOUND")).toBe(true);
      expect((error as JavaNotFoundError).javaPath).toBe(join(scratch(), "fake-java-home", "bin", "java"));
    } finally {
      if (previous === undefined) {
        delete process.env["JAVA_HOME"];
      } else {
        process.env["JAVA_HOME"] = previous;
      }
    }
  });

  const badOptions: [string, unknown, string][] = [
    ["options", null, "options"],
    ["options", "fast", "options"],
    ["options.port", { port: -1 }, "options.port"],
    ["options.port", { port: 65_536 }, "options.port"],
    ["options.port", { port: 80.5 }, "options.port"],
    ["options.port", { port: "8000" }, "options.port"],
    ["options.startTimeoutMs", { startTimeoutMs: 0 }, "options.startTimeoutMs"],
    ["options.startTimeoutMs", { startTimeoutMs: Number.POSITIVE_INFINITY }, "options.startTimeoutMs"],
    ["options.javaPath", { javaPath: "" }, "options.javaPath"],
    ["options.cacheDirectory", { cacheDirectory: 42 }, "options.cacheDirectory"],
    ["options.signal", { signal: { aborted: false } }, "options.signal"],
    ["options.clientConfig", { clientConfig: null }, "options.clientConfig"],
    ["an unknown option", { timeout: 5 }, "options.timeout"],
  ];
  it.each(badOptions)("a bad %s gives ERR_INVALID_ARGUMENT naming it", async (_label, options, argument) => {
    const error = await rejection(startDynamoDBLocal(options as StartDynamoDBLocalOptions));
    expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((error as ProjectionKitError & { argument: string }).argument).toBe(argument);
    expect((error as Error).message).toContain(argument);
  });

  it("an already-aborted signal rejects with its reason, before downloading or starting java", async () => {
    const cacheDirectory = join(scratch(), "untouched-cache");
    const reason = new Error("stop right there");
    const error = await rejection(
      startDynamoDBLocal({
        signal: AbortSignal.abort(reason),
        cacheDirectory,
        javaPath: join(scratch(), "missing-java"), // starting java would give ERR_JAVA_NOT_FOUND instead
      }),
    );
    expect(error).toBe(reason);
    await expect(readdir(cacheDirectory)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it.skipIf(process.platform === "win32")("java exiting early gives ERR_DYNAMODB_LOCAL_START_FAILED with its exit code and last output", async () => {
    const javaPath = join(scratch(), "crashing-java");
    await writeFile(javaPath, '#!/bin/sh\necho "Error: Could not create the Java Virtual Machine." >&2\nexit 3\n');
    await chmod(javaPath, 0o755);
    const error = await rejection(startDynamoDBLocal({ javaPath }));
    expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_START_FAILED")).toBe(true);
    const failed = error as DynamoDBLocalStartFailedError;
    expect(failed.exitCode).toBe(3);
    expect(failed.message).toContain("java exited with code 3");
    expect(failed.output).toContain("Could not create the Java Virtual Machine.");
  });

  it.skipIf(process.platform === "win32")("a java that never listens fails after startTimeoutMs and is killed", async () => {
    const javaPath = join(scratch(), "silent-java");
    const pidFile = join(scratch(), "silent-java.pid");
    await writeFile(javaPath, `#!/bin/sh\necho $$ > "${pidFile}"\necho "pretending to start"\nexec sleep 60\n`);
    await chmod(javaPath, 0o755);
    const before = Date.now();
    const error = await rejection(startDynamoDBLocal({ javaPath, startTimeoutMs: 700 }));
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_START_FAILED")).toBe(true);
    const failed = error as DynamoDBLocalStartFailedError;
    expect(failed.message).toContain("within 700 ms");
    expect(failed.output).toContain("pretending to start");
    const { readFile } = await import("node:fs/promises");
    const pid = Number((await readFile(pidFile, "utf8")).trim());
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  });
});

// These start java for real.
describeNeedingJava("startDynamoDBLocal failures once java runs", () => {
  const shared = emulatorForSuite("DynamoDB Local");

  it("an abort while java starts kills it and rejects with the reason", async () => {
    const controller = new AbortController();
    const reason = new Error("aborted during start");
    setTimeout(() => controller.abort(reason), 300);
    const before = Date.now();
    const error = await rejection(startDynamoDBLocal({ signal: controller.signal }));
    expect(error).toBe(reason);
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it("a given port that another DynamoDB Local holds is not mistaken for a started instance", async () => {
    // The shared emulator answers on this port; a naive readiness check would accept it.
    const port = Number(new URL(await shared.endpoint()).port);
    const error = await rejection(startDynamoDBLocal({ port }));
    expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_START_FAILED")).toBe(true);
    const failed = error as DynamoDBLocalStartFailedError;
    expect(failed.port).toBe(port);
    expect(failed.message).toContain(`port ${port} is already in use`);
    expect(failed.output).toMatch(/Failed to bind|Address already in use/);
    expect(failed.message).toContain(failed.output);
  });

  it("a given port that a plain TCP server holds fails fast with java's output", async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, () => resolve((server.address() as { port: number }).port)),
    );
    try {
      const error = await rejection(startDynamoDBLocal({ port }));
      expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_START_FAILED")).toBe(true);
      expect((error as DynamoDBLocalStartFailedError).output).toContain("Address already in use");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
