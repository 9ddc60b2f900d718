import type { ServerResponse } from "node:http";
import type { Store } from "./dynalite-internals.js";

/**
 * Which table change to wait for.
 *
 * @internal
 */
export type TableChange = "create" | "delete";

const POLL_LIMIT_MS = 5_000;

/**
 * Makes a `CreateTable` (or `DeleteTable`) answer wait until the table is `ACTIVE` (or gone).
 *
 * dynalite flips a table's status on a timer even when `createTableMs`/`deleteTableMs` is 0, after
 * it has answered; a request sent right after the answer (keep-alive on localhost is faster than
 * the timer) then finds the table `CREATING` and fails with `ResourceNotFoundException`, about one
 * time in three. Holding back dynalite's answer until the change is done makes "instant" tables
 * really instant; the answer itself is dynalite's, unchanged.
 *
 * @internal
 * @param store - dynalite's store.
 * @param response - the response dynalite will write.
 * @param change - what to wait for.
 */
export function holdUntilTableSettled(store: Store, response: ServerResponse, change: TableChange): void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]): ServerResponse => {
    const [body] = args;
    const tableName = response.statusCode === 200 && typeof body === "string" ? describedTable(body) : undefined;
    if (tableName === undefined) {
      return end(...args);
    }
    void waitForTable(store, tableName, change).finally(() => end(...args));
    return response;
  }) as ServerResponse["end"];
}

function describedTable(body: string): string | undefined {
  try {
    const name = (JSON.parse(body) as { TableDescription?: { TableName?: unknown } }).TableDescription?.TableName;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

async function waitForTable(store: Store, tableName: string, change: TableChange): Promise<void> {
  const deadline = Date.now() + POLL_LIMIT_MS;
  while (Date.now() < deadline) {
    const status = await new Promise<string | undefined | null>((resolve) => {
      store.tableDb.get(tableName, (error, value) => {
        resolve(error !== null && error !== undefined ? null : value?.TableStatus);
      });
    });
    if (status === null) {
      return; // the database is closing: answer as is
    }
    if (change === "create" ? status !== "CREATING" : status === undefined) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
