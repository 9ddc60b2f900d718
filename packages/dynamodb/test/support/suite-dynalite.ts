import { startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
import { afterAll, beforeAll } from "vitest";

/**
 * A dynalite of the suite's own: started (and given its tables by `prepare`) before the suite's
 * tests, stopped after them. Returns the running instance's getter.
 */
export function suiteDynalite(prepare: (dynalite: Dynalite) => Promise<void>): () => Dynalite {
  let dynalite: Dynalite | undefined;
  beforeAll(async () => {
    dynalite = await startDynalite();
    await prepare(dynalite);
  });
  afterAll(async () => {
    await dynalite?.stop();
  });
  return () => {
    if (dynalite === undefined) throw new Error("dynalite did not start");
    return dynalite;
  };
}
