import { createEventScope, type ProjectionMessageHandler, type ResourceRepository } from "@projectionkit/core";
import { expect, it } from "vitest";
import type { ProjectionBackend, ProjectionConformanceOptions, RepositoryConformanceOptions } from "./backends.js";
import { byteLimits, showBytes, type ByteLimits } from "./byte-domain.js";
import { exampleResource, neighboursOf, type Neighbour } from "./neighbours.js";
import { ownershipCheckedHandler, ownershipCheckedRepository } from "./ownership.js";
import { probeEvent, type ProbeEvent } from "./probe.js";
import { forEachCall, withBackend } from "./support.js";

/**
 * What a repository example gets.
 *
 * @example
 * ```ts
 * test("R1: …", async ({ repository, limits }: RepositoryExample) => {
 *   // …
 * });
 * ```
 */
export interface RepositoryExample {
  /** The repository under test, checking ownership on every call (K10). */
  readonly repository: ResourceRepository;
  /** The repository itself, for the examples that change arrays on purpose. */
  readonly unwrapped: ResourceRepository;
  /** The lengths the backend accepts (K9). */
  readonly limits: ByteLimits;
  /** Whether calls may overlap (`concurrentCalls`): independent calls then go out together. */
  readonly overlapping: boolean;
}

/**
 * What a projection example gets.
 *
 * @example
 * ```ts
 * test("H2: …", async ({ backend, limits }: ProjectionExample) => {
 *   // …
 * });
 * ```
 */
export interface ProjectionExample {
  /** The backend; its handler checks ownership on every call (K10). */
  readonly backend: ProjectionBackend;
  /** The handler itself, for the examples that change arrays on purpose. */
  readonly unwrapped: ProjectionMessageHandler<ProbeEvent>;
  /** The lengths the backend accepts (K9). */
  readonly limits: ByteLimits;
  /** Whether calls may overlap (`concurrentCalls`): independent calls then go out together. */
  readonly overlapping: boolean;
}

function isolationMessage(neighbour: Neighbour, what: string): string {
  return `isolation: the ${what} of ${showBytes(neighbour.resource)}, a resource the example never touched (${neighbour.relation} from ${showBytes(exampleResource())})`;
}

/**
 * The way repository examples are registered: each gets a fresh backend, wrapped to check
 * ownership, with the neighbours of {@link exampleResource} written first and checked unchanged
 * afterwards (isolation).
 *
 * @param options - the suite's options.
 * @returns a function that registers one example.
 *
 * @example
 * ```ts
 * const test = repositoryExampleTest(options);
 * test("R1: …", async ({ repository }) => {
 *   // …
 * });
 * ```
 */
export function repositoryExampleTest(options: RepositoryConformanceOptions): (title: string, body: (example: RepositoryExample) => Promise<void>) => void {
  const limits = byteLimits(options.capabilities);
  const overlapping = options.capabilities.concurrentCalls;
  return (title, body) => {
    it(
      title,
      () =>
        withBackend(options.create, async (backend) => {
          const repository = ownershipCheckedRepository(backend.repository);
          const neighbours = neighboursOf(exampleResource(), limits.versionBytes);
          await forEachCall(overlapping, neighbours, (neighbour) => repository.storeResourceVersion(neighbour.resource, neighbour.version));
          await body({ repository, unwrapped: backend.repository, limits, overlapping });
          await forEachCall(overlapping, neighbours, async (neighbour) => {
            expect(await repository.resourceVersion(neighbour.resource), isolationMessage(neighbour, "version")).toEqual(neighbour.version);
          });
        }),
      options.timeout,
    );
  };
}

/**
 * The way projection examples are registered, like {@link repositoryExampleTest}: each neighbour
 * of {@link exampleResource} gets an event on its own list first, and its version and list are
 * checked unchanged afterwards.
 *
 * @param options - the suite's options.
 * @returns a function that registers one example.
 *
 * @example
 * ```ts
 * const test = projectionExampleTest(options);
 * test("H2: …", async ({ backend }) => {
 *   // …
 * });
 * ```
 */
export function projectionExampleTest(options: ProjectionConformanceOptions): (title: string, body: (example: ProjectionExample) => Promise<void>) => void {
  const limits = byteLimits(options.capabilities);
  const overlapping = options.capabilities.concurrentCalls;
  const scope = createEventScope();
  return (title, body) => {
    it(
      title,
      () =>
        withBackend(
          () => options.create({ pause: () => Promise.resolve() }),
          async (raw) => {
            const backend: ProjectionBackend = { ...raw, handler: ownershipCheckedHandler(raw.handler) };
            const neighbours = neighboursOf(exampleResource(), limits.versionBytes);
            await forEachCall(overlapping, neighbours, async (neighbour) => {
              const applied = await backend.handler.handleEvent(neighbour.resource, undefined, neighbour.version, scope, probeEvent(neighbour.list, "neighbour"));
              expect(applied, `isolation: the first event of ${showBytes(neighbour.resource)} (${neighbour.relation} from ${showBytes(exampleResource())})`).toBe(true);
            });
            await body({ backend, unwrapped: raw.handler, limits, overlapping });
            await forEachCall(overlapping, neighbours, async (neighbour) => {
              expect(await backend.handler.resourceVersion(neighbour.resource), isolationMessage(neighbour, "version")).toEqual(neighbour.version);
              expect(await backend.readList(neighbour.list), isolationMessage(neighbour, `list ${neighbour.list}`)).toEqual(["neighbour"]);
            });
          },
        ),
      options.timeout,
    );
  };
}
