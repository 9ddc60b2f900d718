import { describeProjectionConformance, describeResourceRepositoryConformance } from "@projectionkit/conformance";
import { brokenProjection } from "./broken-projection.js";
import { brokenRepository } from "./broken-repository.js";
import { MUTANTS, type Mutation } from "./catalogue.js";

// Not a test file of the normal run: test/mutants.test.ts runs it in a child vitest and checks
// that the kit fails every mutant and passes the control ("none").

function register(mutation: Mutation, layer: "version-store" | "projection"): void {
  if (layer === "version-store") {
    describeResourceRepositoryConformance({
      name: `mutant:${mutation}`,
      create: () => ({ repository: brokenRepository(mutation) }),
      capabilities: { concurrentCalls: true, reportsStoredVersion: true },
    });
  }
  describeProjectionConformance({
    name: `mutant:${mutation}`,
    create: (context) => brokenProjection(mutation, context),
    capabilities: { concurrentCalls: true, reportsStoredVersion: true, batches: true, faults: ["before-commit", "lost-response"] },
  });
}

register("none", "version-store");
for (const mutant of MUTANTS) {
  register(mutant.name, mutant.layer);
}

// A correct backend that declares the least it can: the kit must skip, visibly, what needs more.
describeResourceRepositoryConformance({
  name: "control:minimal",
  create: () => ({ repository: brokenRepository("none") }),
  capabilities: { concurrentCalls: false, reportsStoredVersion: false },
});
describeProjectionConformance({
  name: "control:minimal",
  create: (context) => brokenProjection("none", context),
  capabilities: { concurrentCalls: false, reportsStoredVersion: false, faults: [] },
});
