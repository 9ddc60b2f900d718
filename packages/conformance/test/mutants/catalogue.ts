/**
 * The deliberately broken backends of clause K6: each is one small, realistic mistake away from a
 * correct backend ("none"), and says which clauses of the contract it breaks. The kit must catch
 * every one of them with an example and with a property, and with a test of a clause it breaks;
 * COVERAGE.md lists, for each clause, the mutants that its tests catch (K7).
 */
export interface Mutant {
  /** The mistake, as the name of the mutant. */
  readonly name: Mutation;
  /** What the broken backend does. */
  readonly mistake: string;
  /**
   * Where the mistake is: `"version-store"` mistakes are in the store of versions that the
   * repository and the projection share, so both suites run against them; `"projection"`
   * mistakes only exist in a projection handler.
   */
  readonly layer: "version-store" | "projection";
  /** The contract's clauses the mistake breaks. */
  readonly breaks: readonly string[];
  /** The kit's clause whose checks find it, where one is needed beyond plain examples (K4, K9, K10). */
  readonly foundBy?: "K4" | "K9" | "K10" | undefined;
}

/** Every mutation, "none" being the correct control backend. */
export type Mutation =
  | "none"
  | "ignores-current"
  | "empty-current-matches-any"
  | "read-then-write"
  | "keeps-empty-version"
  | "drops-empty-next"
  | "stale-reads"
  | "deletes-by-prefix"
  | "reports-expected-as-stored"
  | "c-string-keys"
  | "case-folded-keys"
  | "lossy-text-keys"
  | "keys-cut-to-255-bytes"
  | "trailing-zeros-ignored"
  | "keeps-caller-arrays"
  | "returns-internal-arrays"
  | "two-step-write"
  | "misreports-item-failure"
  | "unstable-configure"
  | "accepts-undeclared-events"
  | "compact-loses-data"
  | "batch-version-from-first"
  | "batch-continues-after-conflict"
  | "batch-unconditional-after-first-request"
  | "batch-last-write-wins"
  | "batch-reapplies-redelivered-prefix";

export const MUTANTS: readonly Mutant[] = [
  { name: "ignores-current", mistake: "ignores the current version: every update wins", layer: "version-store", breaks: ["R3", "H2"] },
  { name: "empty-current-matches-any", mistake: 'treats an empty current version as "any version"', layer: "version-store", breaks: ["R5", "H2"] },
  { name: "read-then-write", mistake: "reads the version, awaits, then writes without a condition", layer: "version-store", breaks: ["R6", "H6"] },
  { name: "keeps-empty-version", mistake: "keeps an empty version as a stored value instead of deleting (a poisoned resource)", layer: "version-store", breaks: ["R2", "R5"] },
  { name: "drops-empty-next", mistake: "resolves true for an empty next version but keeps the old version", layer: "version-store", breaks: ["R2", "R3"] },
  { name: "stale-reads", mistake: "reads the version as it was before the latest write (an eventually consistent read)", layer: "version-store", breaks: ["R1", "H4"] },
  { name: "deletes-by-prefix", mistake: "deleting or closing a resource deletes every resource that starts with its bytes", layer: "version-store", breaks: ["R4", "H4"] },
  { name: "reports-expected-as-stored", mistake: "reports the expected version as the stored one on a conflict", layer: "version-store", breaks: ["H7"] },
  { name: "c-string-keys", mistake: "keys resources by C strings: the bytes up to the first zero byte", layer: "version-store", breaks: ["R7"], foundBy: "K9" },
  { name: "case-folded-keys", mistake: "keys resources by their bytes with ASCII letters lowercased (a case-insensitive column)", layer: "version-store", breaks: ["R7"], foundBy: "K9" },
  { name: "lossy-text-keys", mistake: "keys resources by TextDecoder text: bytes that are not UTF-8 all become U+FFFD", layer: "version-store", breaks: ["R7"], foundBy: "K9" },
  { name: "keys-cut-to-255-bytes", mistake: "keys resources by their first 255 bytes (an index on a prefix of the column)", layer: "version-store", breaks: ["R7"], foundBy: "K9" },
  { name: "trailing-zeros-ignored", mistake: "compares versions with trailing zero bytes stripped", layer: "version-store", breaks: ["R3", "H2"], foundBy: "K9" },
  { name: "keeps-caller-arrays", mistake: "stores the caller's version array without copying it", layer: "version-store", breaks: ["R7"], foundBy: "K10" },
  { name: "returns-internal-arrays", mistake: "returns its stored arrays from reads and conflicts without copying them", layer: "version-store", breaks: ["R7"], foundBy: "K10" },
  { name: "two-step-write", mistake: "moves the version first, then applies the projection's changes in a second step", layer: "projection", breaks: ["H2"] },
  { name: "misreports-item-failure", mistake: "rejects a failing user item with a misleading error (a timeout) instead of its own", layer: "projection", breaks: ["H2"], foundBy: "K4" },
  { name: "unstable-configure", mistake: "declares a new identity key on every configure call", layer: "projection", breaks: ["H1"] },
  { name: "accepts-undeclared-events", mistake: "applies events of types it never declared", layer: "projection", breaks: ["H3"] },
  { name: "compact-loses-data", mistake: "compact keeps only the last entry of each list", layer: "projection", breaks: ["H5"] },
  { name: "batch-version-from-first", mistake: "a batch writes every event's changes but moves the version only to the first delivery's next", layer: "projection", breaks: ["B1"] },
  {
    name: "batch-continues-after-conflict",
    mistake: "a batch whose request meets a conflict goes on with its next request (and reports the first stop)",
    layer: "projection",
    breaks: ["B1", "B2"],
  },
  {
    name: "batch-unconditional-after-first-request",
    mistake: "a batch checks the version only in its first request; the requests after it write unconditionally",
    layer: "projection",
    breaks: ["B3"],
  },
  {
    name: "batch-last-write-wins",
    mistake: "a batch makes each event's change against the state before its request, so the last event's write wins (naive coalescing)",
    layer: "projection",
    breaks: ["B1", "B4"],
  },
  {
    name: "batch-reapplies-redelivered-prefix",
    mistake: "a batch is accepted when the stored version is the current version of any of its deliveries, and then applied whole",
    layer: "projection",
    breaks: ["B2", "B3"],
  },
];
