import { spawn } from "node:child_process";
import { once } from "node:events";
import { statSync } from "node:fs";
import { access, mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { extract } from "tar";
import { DynamoDBLocalDownloadFailedError } from "./errors.js";
import { optionalNonEmptyString, optionalSignal, requireOptionsObject } from "./option-validation.js";
import { OutputTail } from "./output-tail.js";

/**
 * The version of DynamoDB Local that this harness downloads and runs.
 *
 * @example
 * ```ts
 * console.log(`testing against DynamoDB Local ${DYNAMODB_LOCAL_VERSION}`);
 * ```
 */
export const DYNAMODB_LOCAL_VERSION = "1.25.1";

/**
 * The npm package whose `emulator/` folder holds DynamoDB Local {@link DYNAMODB_LOCAL_VERSION}.
 * Only its archive is fetched (`npm pack`), never installed.
 *
 * @example
 * ```ts
 * console.log(`npm pack ${DYNAMODB_LOCAL_PACKAGE}`);
 * ```
 */
export const DYNAMODB_LOCAL_PACKAGE = "amplify-dynamodb-simulator@2.9.30";

/**
 * The environment variable that overrides the default cache directory of the emulator, e.g. to
 * share one download between checkouts or to point CI at a cached folder.
 *
 * @example
 * ```ts
 * process.env[DYNAMODB_LOCAL_DIR_ENV] = "/var/cache/dynamodb-local";
 * ```
 */
export const DYNAMODB_LOCAL_DIR_ENV = "PROJECTIONKIT_DYNAMODB_LOCAL_DIR";

/**
 * Options of {@link ensureDynamoDBLocal}.
 *
 * @example
 * ```ts
 * const options: EnsureDynamoDBLocalOptions = { cacheDirectory: ".cache/dynamodb-local" };
 * ```
 */
export interface EnsureDynamoDBLocalOptions {
  /**
   * Where the emulator is cached; it lives in its `emulator/` subfolder. Relative paths resolve
   * against the working directory. Default: {@link defaultDynamoDBLocalCacheDirectory}.
   */
  readonly cacheDirectory?: string | undefined;
  /** Aborts the download; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Where an unpacked DynamoDB Local lives, as {@link ensureDynamoDBLocal} returns it.
 *
 * @example
 * ```ts
 * const { jarPath, libraryPath } = await ensureDynamoDBLocal();
 * ```
 */
export interface DynamoDBLocalEmulator {
  /** The emulator folder: `<cacheDirectory>/emulator`. */
  readonly directory: string;
  /** `DynamoDBLocal.jar`, for `java -jar`. */
  readonly jarPath: string;
  /** `DynamoDBLocal_lib/`, for `-Djava.library.path` (native SQLite). */
  readonly libraryPath: string;
  /** The DynamoDB Local version, {@link DYNAMODB_LOCAL_VERSION}. */
  readonly version: string;
  /** Whether this call downloaded it (`false`: it was already cached). */
  readonly downloaded: boolean;
}

/**
 * The cache directory used when none is given: `$PROJECTIONKIT_DYNAMODB_LOCAL_DIR` if set;
 * otherwise `node_modules/.cache/projectionkit/dynamodb-local-<version>` in the nearest
 * `node_modules` at or above the working directory (ignored by git, cleared with `node_modules`);
 * otherwise a folder in the OS temp directory.
 *
 * @returns an absolute path.
 *
 * @example
 * ```ts
 * console.log(defaultDynamoDBLocalCacheDirectory());
 * // /home/me/project/node_modules/.cache/projectionkit/dynamodb-local-1.25.1
 * ```
 */
export function defaultDynamoDBLocalCacheDirectory(): string {
  const fromEnvironment = process.env[DYNAMODB_LOCAL_DIR_ENV];
  if (fromEnvironment !== undefined && fromEnvironment.length > 0) {
    return resolve(fromEnvironment);
  }
  const leaf = join(".cache", "projectionkit", `dynamodb-local-${DYNAMODB_LOCAL_VERSION}`);
  for (let directory = process.cwd(); ; directory = dirname(directory)) {
    const nodeModules = join(directory, "node_modules");
    if (isDirectory(nodeModules)) {
      return join(nodeModules, leaf);
    }
    if (dirname(directory) === directory) {
      return join(tmpdir(), "projectionkit", `dynamodb-local-${DYNAMODB_LOCAL_VERSION}`);
    }
  }
}

/**
 * Makes sure DynamoDB Local is unpacked in the cache directory, downloading it if needed, and says
 * where it is. Starting an emulator does this too; call it alone to warm a CI cache.
 *
 * The download runs `npm pack amplify-dynamodb-simulator@2.9.30` (so the user's npm registry,
 * proxy and auth settings apply), prints a one-line notice to stderr, and unpacks only the
 * `emulator/` folder (about 64 MB) into a private folder that is then renamed into place. Concurrent
 * processes therefore never see a half-unpacked emulator; if two download at once, one rename wins
 * and the other's copy is discarded.
 *
 * @param options - the cache directory and an abort signal.
 * @returns where the emulator is.
 * @throws `InvalidArgumentError` for malformed options.
 * @throws {@link DynamoDBLocalDownloadFailedError} when npm or the archive fails.
 *
 * @example
 * ```ts
 * // ci-warmup.mjs
 * import { ensureDynamoDBLocal } from "@projectionkit/dynamodb-testing";
 *
 * const { directory, downloaded } = await ensureDynamoDBLocal();
 * console.log(`${downloaded ? "downloaded" : "cached"}: ${directory}`);
 * ```
 */
export async function ensureDynamoDBLocal(options?: EnsureDynamoDBLocalOptions): Promise<DynamoDBLocalEmulator> {
  const raw = requireOptionsObject(options, "options", ["cacheDirectory", "signal"]);
  const cacheDirectory = optionalNonEmptyString(raw["cacheDirectory"], "options.cacheDirectory");
  const signal = optionalSignal(raw["signal"], "options.signal");
  return installEmulator({
    cacheDirectory: cacheDirectory === undefined ? defaultDynamoDBLocalCacheDirectory() : resolve(cacheDirectory),
    signal,
  });
}

/**
 * Fetches the emulator's npm archive into `destination` (an empty folder).
 *
 * @internal
 */
export type PackEmulator = (destination: string, signal: AbortSignal | undefined) => Promise<void>;

/**
 * What {@link installEmulator} does I/O with; tests replace them.
 *
 * @internal
 */
export interface EmulatorInstallDependencies {
  /** Fetches the archive. Default {@link npmPackEmulator}. */
  readonly pack: PackEmulator;
  /** Prints the download notice. Default: a line on stderr. */
  readonly notify: (message: string) => void;
}

/**
 * Options of {@link installEmulator}, already validated.
 *
 * @internal
 */
export interface InstallEmulatorOptions {
  /** An absolute cache directory. */
  readonly cacheDirectory: string;
  /** Aborts the download. */
  readonly signal: AbortSignal | undefined;
}

const defaultDependencies: EmulatorInstallDependencies = {
  pack: npmPackEmulator,
  notify: (message) => process.stderr.write(`${message}\n`),
};

/**
 * The implementation of {@link ensureDynamoDBLocal}, with injectable I/O.
 *
 * @internal
 * @param options - validated options.
 * @param dependencies - how to fetch the archive and print the notice.
 * @returns where the emulator is.
 */
export async function installEmulator(
  options: InstallEmulatorOptions,
  dependencies: EmulatorInstallDependencies = defaultDependencies,
): Promise<DynamoDBLocalEmulator> {
  const { cacheDirectory, signal } = options;
  signal?.throwIfAborted();
  const emulator = emulatorAt(cacheDirectory);
  if (await exists(emulator.jarPath)) {
    return { ...emulator, downloaded: false };
  }

  await mkdir(cacheDirectory, { recursive: true }).catch((error: unknown) => {
    throw new DynamoDBLocalDownloadFailedError(cacheDirectory, `cannot create the directory (${describeError(error)})`, {
      cause: error,
      retryable: false,
    });
  });
  await removeStaleStagingFolders(cacheDirectory);
  const staging = await mkdtemp(join(cacheDirectory, STAGING_PREFIX));
  try {
    dependencies.notify(
      `[projectionkit] downloading DynamoDB Local ${DYNAMODB_LOCAL_VERSION} (npm pack ${DYNAMODB_LOCAL_PACKAGE}, ~57 MB) into ${cacheDirectory}`,
    );
    await dependencies.pack(staging, signal);
    signal?.throwIfAborted();
    await unpackEmulator(cacheDirectory, staging);
    signal?.throwIfAborted();
    await moveIntoPlace(cacheDirectory, staging, emulator.directory);
  } finally {
    await rm(staging, { recursive: true, force: true, maxRetries: 3 });
  }
  return { ...emulator, downloaded: true };
}

/**
 * Runs `npm pack amplify-dynamodb-simulator@2.9.30 --pack-destination <destination> --silent` in the
 * working directory, so that the user's npm configuration (registry, proxy, auth) applies.
 *
 * @internal
 * @param destination - an existing folder for the archive.
 * @param signal - kills npm when aborted.
 */
export async function npmPackEmulator(destination: string, signal: AbortSignal | undefined): Promise<void> {
  const windows = process.platform === "win32";
  const args = ["pack", DYNAMODB_LOCAL_PACKAGE, "--pack-destination", windows ? `"${destination}"` : destination, "--silent"];
  const child = spawn(windows ? "npm.cmd" : "npm", args, {
    stdio: ["ignore", "pipe", "pipe"],
    shell: windows,
    windowsHide: true,
    ...(signal === undefined ? {} : { signal }),
  });
  const tail = new OutputTail({ maxLines: 30 });
  tail.follow(child.stdout);
  tail.follow(child.stderr);
  let exitCode: number | null;
  try {
    [exitCode] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  } catch (error) {
    if (signal?.aborted === true) {
      throw signal.reason;
    }
    const hint = (error as { code?: unknown }).code === "ENOENT" ? "npm was not found on PATH" : describeError(error);
    throw new DynamoDBLocalDownloadFailedError(dirname(destination), `cannot run npm pack: ${hint}`, { cause: error });
  }
  signal?.throwIfAborted();
  if (exitCode !== 0) {
    throw new DynamoDBLocalDownloadFailedError(
      dirname(destination),
      `npm pack ${DYNAMODB_LOCAL_PACKAGE} exited with code ${String(exitCode)}\n${tail.text()}`,
    );
  }
}

const STAGING_PREFIX = ".staging-";
const STALE_STAGING_MS = 60 * 60 * 1000;

function emulatorAt(cacheDirectory: string): Omit<DynamoDBLocalEmulator, "downloaded"> {
  const directory = join(cacheDirectory, "emulator");
  return {
    directory,
    jarPath: join(directory, "DynamoDBLocal.jar"),
    libraryPath: join(directory, "DynamoDBLocal_lib"),
    version: DYNAMODB_LOCAL_VERSION,
  };
}

async function unpackEmulator(cacheDirectory: string, staging: string): Promise<void> {
  const archives = (await readdir(staging)).filter((name) => name.endsWith(".tgz"));
  const archive = archives[0];
  if (archive === undefined || archives.length !== 1) {
    throw new DynamoDBLocalDownloadFailedError(
      cacheDirectory,
      `expected one .tgz archive from npm pack, found ${archives.length === 0 ? "none" : archives.join(", ")}`,
    );
  }
  try {
    await extract({
      file: join(staging, archive),
      cwd: staging,
      strip: 1,
      filter: (path) => path.startsWith("package/emulator/"),
    });
  } catch (error) {
    throw new DynamoDBLocalDownloadFailedError(cacheDirectory, `cannot unpack ${archive} (${describeError(error)})`, {
      cause: error,
    });
  }
  const unpacked = emulatorAt(staging);
  if (!(await exists(unpacked.jarPath)) || !(await exists(unpacked.libraryPath))) {
    throw new DynamoDBLocalDownloadFailedError(
      cacheDirectory,
      `${archive} has no emulator/DynamoDBLocal.jar and emulator/DynamoDBLocal_lib/`,
      { retryable: false },
    );
  }
  await rm(join(staging, archive), { force: true });
}

async function moveIntoPlace(cacheDirectory: string, staging: string, target: string): Promise<void> {
  const source = join(staging, "emulator");
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(source, target);
      return;
    } catch (error) {
      if (await exists(join(target, "DynamoDBLocal.jar"))) {
        return; // Another process won the race; its copy is complete.
      }
      if (attempt > 0 || !(await exists(target))) {
        throw new DynamoDBLocalDownloadFailedError(cacheDirectory, `cannot move the emulator into place (${describeError(error)})`, {
          cause: error,
        });
      }
      // An incomplete folder is in the way (not made by this code, which only renames complete
      // ones): move it aside into our staging folder, which is removed afterwards, and retry.
      await rename(target, join(staging, "incomplete")).catch(() => undefined);
    }
  }
}

async function removeStaleStagingFolders(cacheDirectory: string): Promise<void> {
  const names = await readdir(cacheDirectory).catch(() => [] as string[]);
  const now = Date.now();
  await Promise.all(
    names
      .filter((name) => name.startsWith(STAGING_PREFIX))
      .map(async (name) => {
        const path = join(cacheDirectory, name);
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined && now - info.mtimeMs > STALE_STAGING_MS) {
          await rm(path, { recursive: true, force: true }).catch(() => undefined);
        }
      }),
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
