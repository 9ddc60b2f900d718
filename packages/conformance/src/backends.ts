import type { ProjectionMessageHandler, ResourceRepository } from "@projectionkit/core";
import type { BackendCapabilities, FaultInjector } from "./capabilities.js";
import type { BackendContext, ProbeEvent } from "./probe.js";
import type { ConformanceRunOptions } from "./run-settings.js";

/**
 * One fresh, isolated resource repository, as a factory returns it.
 *
 * @example
 * ```ts
 * const backend: RepositoryBackend = { repository: new MemoryResourceRepository() };
 * ```
 */
export interface RepositoryBackend {
  /** The repository under test. */
  readonly repository: ResourceRepository;
  /** Releases what the backend holds; called after each test and each generated case. */
  readonly teardown?: (() => void | Promise<void>) | undefined;
}

/**
 * One fresh, isolated probe projection (see {@link ProbeEvent}), as a factory returns it.
 *
 * @example
 * ```ts
 * const backend: ProjectionBackend = {
 *   handler: projection,
 *   readList: async (list) => projection.state.lists[list] ?? [],
 * };
 * ```
 */
export interface ProjectionBackend {
  /** The probe projection, bound to the backend. */
  readonly handler: ProjectionMessageHandler<ProbeEvent>;
  /**
   * Reads the ids recorded in `list`, in order, directly from the backend's storage (not through
   * the handler under test). A list never written reads as empty.
   */
  readonly readList: (list: string) => Promise<readonly string[]>;
  /** Injects faults; required when the capabilities name any. */
  readonly faults?: FaultInjector | undefined;
  /**
   * Recognises the error a call rejects with when the probe's own item fails its condition (for
   * DynamoDB: `isProjectionKitError(e, "ERR_ITEM_CONDITION_FAILED")`). When given, the kit checks
   * that such a call rejects with that error and not another (a validation error, a timeout) that
   * would hide why nothing was written. Default: any rejection is accepted.
   */
  readonly isUserItemFailure?: ((error: unknown) => boolean) | undefined;
  /** Releases what the backend holds; called after each test and each generated case. */
  readonly teardown?: (() => void | Promise<void>) | undefined;
}

/**
 * Options of {@link describeResourceRepositoryConformance}.
 *
 * @example
 * ```ts
 * const options: RepositoryConformanceOptions = {
 *   name: "memory",
 *   create: () => ({ repository: new MemoryResourceRepository() }),
 *   capabilities: { concurrentCalls: true, reportsStoredVersion: true },
 * };
 * ```
 */
export interface RepositoryConformanceOptions {
  /** The backend's name, shown in the suite's title. */
  readonly name: string;
  /** Returns a fresh repository that shares no resources with any other it returned. */
  readonly create: () => RepositoryBackend | Promise<RepositoryBackend>;
  /** What the backend supports. */
  readonly capabilities: BackendCapabilities;
  /** Seed and number of runs; the environment overrides them (K5). */
  readonly run?: ConformanceRunOptions | undefined;
  /** Timeout of each test in milliseconds. Default: the runner's. */
  readonly timeout?: number | undefined;
}

/**
 * Options of {@link describeProjectionConformance}.
 *
 * @example
 * ```ts
 * const options: ProjectionConformanceOptions = {
 *   name: "memory",
 *   create: ({ pause }) => memoryProbe(pause),
 *   capabilities: { concurrentCalls: true, reportsStoredVersion: true, faults: ["lost-response"] },
 * };
 * ```
 */
export interface ProjectionConformanceOptions {
  /** The backend's name, shown in the suite's title. */
  readonly name: string;
  /** Returns a fresh probe projection that shares no resources or lists with any other. */
  readonly create: (context: BackendContext) => ProjectionBackend | Promise<ProjectionBackend>;
  /** What the backend supports. */
  readonly capabilities: BackendCapabilities;
  /** Seed and number of runs; the environment overrides them (K5). */
  readonly run?: ConformanceRunOptions | undefined;
  /** Timeout of each test in milliseconds. Default: the runner's. */
  readonly timeout?: number | undefined;
}
