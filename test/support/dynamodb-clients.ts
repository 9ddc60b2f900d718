import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { createDynamoDBLocalClient, DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
import { randomBytes } from "node:crypto";
import { afterAll, describe, inject } from "vitest";

/** The emulators the DynamoDB suites run on. */
export type EmulatorName = "DynamoDB Local" | "dynalite";

/**
 * Both emulators: AWS's DynamoDB Local (Java; the one that test/support/dynamodb-local-setup.ts
 * started, shared by all files) and dynalite (in this process, one per suite).
 */
export const EMULATORS: readonly EmulatorName[] = ["DynamoDB Local", "dynalite"];

/** One emulator as a suite sees it (see {@link describeOnEmulators}). */
export interface TestEmulator {
  readonly name: EmulatorName;
  /**
   * A new client: region `us-east-1`, fake credentials (the same for every client, so all see the
   * same tables), `maxAttempts: 1` unless `config` says otherwise. It may be made while the suite
   * is collected: it resolves its endpoint on its first request (dynalite starts then). Destroyed
   * after the suite.
   */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** The endpoint, e.g. `http://127.0.0.1:41234`, for hooks and tests (dynalite starts on first use). */
  endpoint(): Promise<string>;
}

/**
 * Registers `suite` once per emulator, titled `<title> on DynamoDB Local` and `<title> on dynalite`.
 * Without Java the DynamoDB Local suite shows as skipped, with the reason and the install hint in
 * its title (the shared setup refuses that under `CI=true`, so CI never skips it); the dynalite
 * suite runs regardless.
 *
 * @param title - the suite's title.
 * @param suite - the suite, given its emulator; it may make clients right away.
 * @param emulators - the emulators; default {@link EMULATORS}.
 *
 * @example
 * ```ts
 * describeOnEmulators("createTable", (emulator) => {
 *   const client = emulator.client();
 *   it("creates a table", async () => {
 *     await createTable(client, uniqueTableName("versions"));
 *   });
 * });
 * ```
 */
export function describeOnEmulators(title: string, suite: (emulator: TestEmulator) => void, emulators: readonly EmulatorName[] = EMULATORS): void {
  for (const name of emulators) {
    const body = (): void => suite(emulatorForSuite(name));
    if (name === "DynamoDB Local") {
      describeNeedingJava(`${title} on ${name}`, body);
    } else {
      describe(`${title} on ${name}`, body);
    }
  }
}

/**
 * `describe` for a suite that needs Java (it uses DynamoDB Local, or starts its own): without Java
 * it shows as skipped, with the reason and the install hint in its title (the shared setup refuses
 * that under `CI=true`, so CI never skips it).
 *
 * @param title - the suite's title.
 * @param suite - the suite.
 *
 * @example
 * ```ts
 * describeNeedingJava("startDynamoDBLocal", () => {
 *   it("starts", async () => {
 *     await using ddb = await startDynamoDBLocal();
 *   });
 * });
 * ```
 */
export function describeNeedingJava(title: string, suite: () => void): void {
  const unavailable = dynamoDBLocalUnavailable();
  if (unavailable === undefined) {
    describe(title, suite);
  } else {
    describe.skip(`${title} [skipped: ${unavailable}]`, suite);
  }
}

/**
 * {@link describeOnEmulators} on DynamoDB Local only, for what dynalite does not emulate (say why
 * where it is called).
 *
 * @param title - the suite's title; ` on DynamoDB Local` is appended.
 * @param suite - the suite, given the emulator.
 *
 * @example
 * ```ts
 * // DynamoDB Local keeps one database per access key; dynalite ignores credentials.
 * describeOnDynamoDBLocal("credentials", (emulator) => { … });
 * ```
 */
export function describeOnDynamoDBLocal(title: string, suite: (emulator: TestEmulator) => void): void {
  describeOnEmulators(title, suite, ["DynamoDB Local"]);
}

/**
 * The emulator `name` for the suite being collected (or the file, at its top level): its clients
 * are destroyed, and its dynalite stopped, in an `afterAll` of that suite. {@link describeOnEmulators}
 * calls it; call it directly for a second emulator in one suite (a test that compares the two).
 *
 * @param name - the emulator.
 * @returns the emulator.
 *
 * @example
 * ```ts
 * describeOnDynamoDBLocal("dynalite against DynamoDB Local", (local) => {
 *   const dynalite = emulatorForSuite("dynalite");
 *   // … the same requests to local.client() and dynalite.client() …
 * });
 * ```
 */
export function emulatorForSuite(name: EmulatorName): TestEmulator {
  const clients: DynamoDBClient[] = [];
  let dynalite: Promise<Dynalite> | undefined;
  let ended = false;

  const endpoint = async (): Promise<string> => {
    if (ended) {
      throw new Error(`the ${name} of a suite was used after the suite ended`);
    }
    if (name === "DynamoDB Local") {
      const unavailable = dynamoDBLocalUnavailable();
      if (unavailable !== undefined) {
        throw new Error(unavailable);
      }
      return inject("dynamodbLocalEndpoint");
    }
    dynalite ??= startDynalite();
    return (await dynalite).endpoint;
  };

  afterAll(async () => {
    ended = true;
    for (const client of clients.splice(0)) {
      client.destroy();
    }
    const started = await dynalite?.catch(() => undefined);
    await started?.stop();
  });

  return {
    name,
    endpoint,
    client(config: DynamoDBClientConfig = {}): DynamoDBClient {
      const client = new DynamoDBClient({
        region: DYNAMODB_LOCAL_REGION,
        credentials: { ...DYNAMODB_LOCAL_CREDENTIALS },
        maxAttempts: 1,
        ...config,
        endpoint: async () => ({ url: new URL(await endpoint()) }),
      });
      clients.push(client);
      return client;
    },
  };
}

/**
 * A client for the DynamoDB Local that test/support/dynamodb-local-setup.ts started: region `us-east-1`,
 * fake credentials (the same for every client, so all see the same tables), `maxAttempts: 1`
 * unless `config` says otherwise. Only inside a suite that runs on DynamoDB Local (see
 * {@link describeOnDynamoDBLocal}); {@link TestEmulator.client} is the usual way.
 *
 * @param config - more client configuration, e.g. `{ maxAttempts: 3 }`.
 * @returns a new client.
 *
 * @example
 * ```ts
 * const client = localClient({ maxAttempts: 3 });
 * await client.send(new ListTablesCommand({}));
 * ```
 */
export function localClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  const unavailable = dynamoDBLocalUnavailable();
  if (unavailable !== undefined) {
    throw new Error(`localClient() outside describeOnDynamoDBLocal: ${unavailable}`);
  }
  return createDynamoDBLocalClient(inject("dynamodbLocalEndpoint"), config);
}

/**
 * Why the shared DynamoDB Local is not available (Java not found), or `undefined` when it is.
 *
 * @returns the reason, with the install hint.
 */
export function dynamoDBLocalUnavailable(): string | undefined {
  const reason = inject("dynamodbLocalUnavailable");
  return reason === undefined || reason === "" ? undefined : reason;
}

const TABLE_NAME_CHARACTERS = /^[a-zA-Z0-9_.-]*$/;
const SUFFIX_LENGTH = 17; // "-" + 16 hex digits

/**
 * A table name no other test (in any worker, in this or an earlier run on the same emulator) uses:
 * `<prefix>-<16 random hex digits>`. Always 3–255 characters of `[a-zA-Z0-9_.-]`, as DynamoDB
 * requires; a long prefix is shortened.
 *
 * @param prefix - a readable hint of the test, e.g. `"repo"`; only `[a-zA-Z0-9_.-]`.
 * @returns the table name.
 * @throws TypeError when `prefix` has other characters.
 *
 * @example
 * ```ts
 * const table = uniqueTableName("repo"); // "repo-3f9c0a1b2c3d4e5f"
 * ```
 */
export function uniqueTableName(prefix: string): string {
  if (!TABLE_NAME_CHARACTERS.test(prefix)) {
    throw new TypeError(`uniqueTableName: prefix ${JSON.stringify(prefix)} has characters other than [a-zA-Z0-9_.-]`);
  }
  return `${prefix.slice(0, 255 - SUFFIX_LENGTH)}-${randomBytes(8).toString("hex")}`;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The endpoint of the DynamoDB Local started by ./dynamodb-local-setup.ts; empty without Java. */
    dynamodbLocalEndpoint: string;
    /** Why DynamoDB Local is not available (Java not found); empty when it is. */
    dynamodbLocalUnavailable: string;
  }
}
