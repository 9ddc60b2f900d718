/**
 * The clauses of projectionkit's behavioural specification, by id, with a one-line summary. A test
 * belongs to the clauses its title names. The repository's coverage table (`COVERAGE.md`) shows,
 * for each clause of the contract, the kit's tests and the deliberately broken backends (mutants)
 * that they catch, and for the other clauses the tests that name them (clause K7).
 *
 * @example
 * ```ts
 * for (const [id, summary] of Object.entries(SPEC_CLAUSES)) console.log(id, summary);
 * ```
 */
export const SPEC_CLAUSES: Readonly<Record<string, string>> = Object.freeze({
  R1: "resourceVersion reads the stored version, or empty; strongly consistent",
  R2: "storeResourceVersion sets unconditionally; storing empty deletes",
  R3: "updateResourceVersion is compare-and-set, false (not an error) on mismatch",
  R4: "deleteResource removes everything about r; idempotent",
  R5: "empty c means absent; empty c and empty n succeeds iff absent and writes nothing",
  R6: "of concurrent updates with the same c at most one resolves true",
  R7: "ownership: no backend keeps or hands out a caller's array; resources and versions are arbitrary bytes",
  H1: "configure declares identity and event types, the same every time",
  H2: "handleEvent commits the changes and n atomically, or changes nothing; retries never apply twice",
  H3: "an undeclared event type is an UnexpectedMessageError, nothing written",
  H4: "resourceVersion and closeResource",
  H5: "timeoutHint and compact",
  H6: "concurrent handleEvent calls with the same (r, c): exactly one true",
  H7: "a rejection reports the stored version when the backend learns it",
  E1: "typed errors with stable codes, guards, bad arguments rejected before I/O",
  V1: "order-preserving offset codecs and stream helpers",
  D1: "the Go v0.7.1 table layout",
  D2: "createTable/deleteTable idempotent, waiting, detecting another key schema",
  D3: "key size checked before sending",
  D4: "DynamoDB handler returns transaction items, attribute values or plain values",
  D5: "one TransactWriteItems: version write plus the user's items",
  D6: "no items: one conditional write instead of a transaction",
  D7: "outcome mapping of cancellation reasons",
  D8: "ambiguous commits: a per-call idempotency token, token in the version item",
  D9: "limits checked before sending: 100 actions, 4 MB, one action per item, not the version item",
  D10: "batching consecutive events of one resource",
  D11: "decorators for every request, unable to break conflict detection",
  D12: "no I/O in constructors; the client is injected",
  D13: "DynamoResourceRepository with updateResourceVersionAndTransactionItems",
  M1: "the in-memory adapter: atomic, obviously correct, fast",
  K1: "conformance entry points with a fresh backend per test",
  K2: "capability manifest; skipped tests are visible with a reason",
  K3: "example tests per clause and model-based properties, including concurrency",
  K4: "fault scenarios: nothing lost, nothing doubled",
  K5: "every failure replayable by seed and path",
  K6: "the kit catches deliberately broken backends",
  K7: "a coverage table: clause → tests → mutants they catch",
  K8: "the kit runs against every backend of this repository",
  K9: "the generators cover the whole domain: versions of any length, resources of arbitrary bytes up to the declared maxima",
  K10: "ownership is checked: the kit changes every array it passed in or got back, then checks the store",
  G1: "versions from the source: contiguous offsets, or ordered sequence numbers with c = the stored version",
  G2: "outcomes: applied, duplicate, gap, conflict (reported or read), failed; each counted",
  G3: "bounded exponential backoff with jitter for retryable errors, per-attempt deadlines, cancellation",
  G4: "different resources in parallel up to a bound, one resource in order",
  G5: "Lambda handlers returning partial batch failures for real failures only",
  G6: "hooks for every outcome with timing and backend cost where known, and counts; no payloads logged",
});
