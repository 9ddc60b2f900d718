import { metrics, trace, type Attributes, type Meter, type Tracer } from "@opentelemetry/api";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import { requireKnownKeys } from "../option-keys.js";
import type { ResolvedOptions } from "../resolved-options.js";
import { describeValue } from "../describe-value.js";

/** The instrumentation scope's name: what tracers and meters are named by default. */
export const INSTRUMENTATION_NAME = "@projectionkit/core";

/**
 * Options of {@link instrumentProjection} and {@link driverTelemetry}.
 *
 * @example
 * ```ts
 * const options: TelemetryOptions = { tracer: trace.getTracer("orders"), attributes: { "service.part": "totals" } };
 * ```
 */
export interface TelemetryOptions {
  /** The tracer for spans. Default: the global tracer provider's tracer named `@projectionkit/core`. */
  readonly tracer?: Tracer | undefined;
  /** The meter for counters. Default: the global meter provider's meter named `@projectionkit/core`. */
  readonly meter?: Meter | undefined;
  /** Attributes added to every span and measurement, e.g. the projection's name. */
  readonly attributes?: Attributes | undefined;
  /**
   * Whether delivery spans carry the stream (`projectionkit.stream`). Default `false`: stream ids
   * are often customer ids, and the driver never records payloads or identifiers by default (G6).
   * Never added to metrics (unbounded cardinality).
   */
  readonly recordStreams?: boolean | undefined;
}

/** @internal */
export type ResolvedTelemetry = ResolvedOptions<TelemetryOptions>;

/** @internal */
export function resolveTelemetryOptions(options: TelemetryOptions | undefined, extraKeys: readonly string[] = []): ResolvedTelemetry {
  const given = requireKnownKeys(options, "options", ["tracer", "meter", "attributes", "recordStreams", ...extraKeys]) as TelemetryOptions;
  if (given.attributes !== undefined && (typeof given.attributes !== "object" || given.attributes === null)) {
    throw new InvalidArgumentError("options.attributes", `expected an object of attributes, got ${describeValue(given.attributes)}`);
  }
  if (given.recordStreams !== undefined && typeof given.recordStreams !== "boolean") {
    throw new InvalidArgumentError("options.recordStreams", `expected a boolean, got ${describeValue(given.recordStreams)}`);
  }
  for (const [name, method] of [["tracer", "startSpan"], ["meter", "createCounter"]] as const) {
    const value = given[name] as Record<string, unknown> | undefined;
    if (value !== undefined && typeof value?.[method] !== "function") {
      throw new InvalidArgumentError(`options.${name}`, `expected an OpenTelemetry ${name === "tracer" ? "Tracer" : "Meter"}, got ${describeValue(value)}`);
    }
  }
  return {
    tracer: given.tracer ?? trace.getTracer(INSTRUMENTATION_NAME),
    meter: given.meter ?? metrics.getMeter(INSTRUMENTATION_NAME),
    attributes: { ...given.attributes },
    recordStreams: given.recordStreams ?? false,
  };
}
