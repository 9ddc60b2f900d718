import { SpanKind, SpanStatusCode, type Attributes, type Counter, type Histogram } from "@opentelemetry/api";
import type { DeliveryReport } from "../driver/delivery-report.js";
import type { DriverHooks } from "../driver/driver-hooks.js";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import type { ProjectionEvent } from "../projection-event.js";
import { describeValue } from "../describe-value.js";
import { resolveTelemetryOptions, type TelemetryOptions } from "./telemetry-options.js";

/** The name of the span of each delivered event. */
export const DELIVERY_SPAN_NAME = "projectionkit.delivery";

/**
 * Options of {@link driverTelemetry}: those of every instrumentation, and hooks of your own that
 * run too.
 *
 * @example
 * ```ts
 * const options: DriverTelemetryOptions<AccountEvent> = { hooks: { onRetry: ({ error }) => console.warn(error) } };
 * ```
 */
export interface DriverTelemetryOptions<E extends ProjectionEvent = ProjectionEvent> extends TelemetryOptions {
  /** Hooks of your own, called after the telemetry's (what they throw is ignored by the driver). */
  readonly hooks?: DriverHooks<E> | undefined;
}

/**
 * Driver hooks that report every delivered event to OpenTelemetry (G6): a span
 * `projectionkit.delivery` per event, from its start to its outcome, with `projectionkit.outcome`,
 * `.attempts`, `.conflicts`, `.retries`, `.requests`, `.write_units`, `.read_units` and the
 * event's position (`projectionkit.offset` or `projectionkit.sequence`); and counters
 * `projectionkit.events` (by `projectionkit.outcome`: applied, duplicate, gap, held, failed,
 * cancelled), `projectionkit.conflicts`, `projectionkit.retries`, `projectionkit.requests`,
 * `projectionkit.write_units`, `projectionkit.read_units`, and the histogram
 * `projectionkit.delivery.duration` (milliseconds). A failed delivery's span has status `ERROR`.
 *
 * Pass the result as the driver's `hooks`. Needs `@opentelemetry/api`, an optional peer dependency
 * of `@projectionkit/core`.
 *
 * @param options - tracer, meter, extra attributes, and hooks of your own.
 * @returns the hooks.
 *
 * @example
 * ```ts
 * import { DeliveryDriver } from "@projectionkit/core";
 * import { driverTelemetry, instrumentProjection } from "@projectionkit/core/telemetry";
 *
 * const driver = new DeliveryDriver(instrumentProjection(projection), { hooks: driverTelemetry() });
 * ```
 */
export function driverTelemetry<E extends ProjectionEvent = ProjectionEvent>(options?: DriverTelemetryOptions<E>): DriverHooks<E> {
  const telemetry = resolveTelemetryOptions(options, ["hooks"]);
  const own = options?.hooks;
  if (own !== undefined && (typeof own !== "object" || own === null)) {
    throw new InvalidArgumentError("options.hooks", `expected driver hooks, got ${describeValue(own)}`);
  }
  const { meter, tracer, attributes } = telemetry;
  const counter = (name: string, description: string, unit = "1"): Counter => meter.createCounter(name, { description, unit });
  const events = counter("projectionkit.events", "Events delivered, by outcome");
  const conflicts = counter("projectionkit.conflicts", "Version conflicts met while delivering");
  const retries = counter("projectionkit.retries", "Retries after retryable failures");
  const requests = counter("projectionkit.requests", "Requests the backend reported sending");
  const writeUnits = counter("projectionkit.write_units", "Write capacity units the backend reported", "{unit}");
  const readUnits = counter("projectionkit.read_units", "Read capacity units the backend reported", "{unit}");
  const duration: Histogram = meter.createHistogram("projectionkit.delivery.duration", { description: "Time from the start of a delivery to its outcome", unit: "ms" });

  return {
    onOutcome(report: DeliveryReport<E>) {
      const end = Date.now();
      const outcome: Attributes = { ...attributes, "projectionkit.outcome": report.outcome };
      events.add(1, outcome);
      conflicts.add(report.conflicts, attributes);
      retries.add(report.retries, attributes);
      requests.add(report.requests, attributes);
      writeUnits.add(report.writeUnits, attributes);
      readUnits.add(report.readUnits, attributes);
      duration.record(report.durationMs, outcome);
      const span = tracer.startSpan(DELIVERY_SPAN_NAME, {
        kind: SpanKind.CONSUMER,
        startTime: end - report.durationMs,
        attributes: { ...outcome, ...spanAttributes(report, telemetry.recordStreams) },
      });
      if (report.outcome === "failed") {
        const error = report.error;
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      span.end(end);
      own?.onOutcome?.(report);
    },
    onConflict: own?.onConflict === undefined ? undefined : (conflict) => own.onConflict?.(conflict),
    onRetry: own?.onRetry === undefined ? undefined : (retry) => own.onRetry?.(retry),
  };
}

function spanAttributes(report: DeliveryReport<ProjectionEvent>, recordStreams: boolean): Attributes {
  const { source } = report;
  return {
    "projectionkit.attempts": report.attempts,
    "projectionkit.conflicts": report.conflicts,
    "projectionkit.retries": report.retries,
    "projectionkit.requests": report.requests,
    "projectionkit.write_units": report.writeUnits,
    "projectionkit.read_units": report.readUnits,
    "projectionkit.event.type": source.event.type,
    ...(source.offset === undefined ? { "projectionkit.sequence": String(source.sequence) } : { "projectionkit.offset": String(source.offset) }),
    ...(source.id === undefined ? {} : { "projectionkit.source.id": source.id }),
    ...(recordStreams ? { "projectionkit.stream": typeof source.stream === "string" ? source.stream : Buffer.from(source.stream).toString("hex") } : {}),
  };
}
