import { SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import type { BatchDelivery, BatchOptions, BatchResult } from "../event-batch.js";
import type { ConditionalWriteOptions, OperationOptions, RequestCost } from "../operation-options.js";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import type { ProjectionConfigurer } from "../projection-configurer.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { ProjectionMessageHandler } from "../projection-message-handler.js";
import type { Resource, Version, VersionInput } from "../resource.js";
import type { ProjectionCompactScope, ProjectionEventScope } from "../scopes.js";
import { resolveTelemetryOptions, type ResolvedTelemetry, type TelemetryOptions } from "./telemetry-options.js";

/** The name of the span of each commit: one `handleEvent` or `handleEventBatch` call. */
export const COMMIT_SPAN_NAME = "projectionkit.commit";

/**
 * Wraps a projection so that each commit (`handleEvent` or `handleEventBatch` call) is a span
 * `projectionkit.commit` with its outcome and cost: `projectionkit.outcome` (`applied`,
 * `conflict` or `error`; for a batch, how it stopped), `projectionkit.events` and
 * `projectionkit.events.applied`, `projectionkit.requests`, `projectionkit.write_units` and
 * `projectionkit.read_units` (as far as the backend reports them through `onRequest`). An error is
 * recorded on the span, which ends with status `ERROR`. Everything else is passed through as is.
 *
 * Needs `@opentelemetry/api` (an optional peer dependency of `@projectionkit/core`); without an SDK
 * registered, spans cost next to nothing.
 *
 * @param handler - the projection, e.g. from `dynamoProjection` or `memoryProjection`.
 * @param options - tracer and extra attributes.
 * @returns the same projection, instrumented.
 *
 * @example
 * ```ts
 * import { DeliveryDriver } from "@projectionkit/core";
 * import { driverTelemetry, instrumentProjection } from "@projectionkit/core/telemetry";
 *
 * const driver = new DeliveryDriver(instrumentProjection(projection), { hooks: driverTelemetry() });
 * ```
 */
export function instrumentProjection<E extends ProjectionEvent>(handler: ProjectionMessageHandler<E>, options?: TelemetryOptions): ProjectionMessageHandler<E> {
  if (typeof handler !== "object" || handler === null || typeof handler.handleEvent !== "function") {
    throw new InvalidArgumentError("handler", "expected a ProjectionMessageHandler");
  }
  const telemetry = resolveTelemetryOptions(options);
  const instrumented: ProjectionMessageHandler<E> = {
    configure: (configurer: ProjectionConfigurer<E>) => handler.configure(configurer),
    handleEvent: (resource: Resource, current: VersionInput, next: VersionInput, scope: ProjectionEventScope, event: E, callOptions?: ConditionalWriteOptions) =>
      commitSpan(telemetry, 1, callOptions, async (span, withCost) => {
        const applied = await handler.handleEvent(resource, current, next, scope, event, withCost);
        span.setAttributes({ "projectionkit.outcome": applied ? "applied" : "conflict", "projectionkit.events.applied": applied ? 1 : 0 });
        return applied;
      }),
    resourceVersion: (resource: Resource, callOptions?: OperationOptions): Promise<Version> => handler.resourceVersion(resource, callOptions),
    closeResource: (resource: Resource, callOptions?: OperationOptions): Promise<void> => handler.closeResource(resource, callOptions),
    timeoutHint: (event: E) => handler.timeoutHint(event),
    compact: (scope: ProjectionCompactScope, callOptions?: OperationOptions) => handler.compact(scope, callOptions),
  };
  const batch = handler.handleEventBatch?.bind(handler);
  if (batch !== undefined) {
    instrumented.handleEventBatch = (resource: Resource, deliveries: readonly BatchDelivery<E>[], callOptions?: BatchOptions): Promise<BatchResult> =>
      commitSpan(telemetry, Array.isArray(deliveries) ? deliveries.length : 0, callOptions, async (span, withCost) => {
        const result = await batch(resource, deliveries, withCost);
        span.setAttributes({ "projectionkit.outcome": result.stopped?.reason ?? "applied", "projectionkit.events.applied": result.applied });
        if (result.stopped?.reason === "error") {
          recordError(span, result.stopped.error);
        }
        return result;
      });
  }
  return instrumented;
}

/** Runs one commit inside its span, with `onRequest` tallying the cost onto the span. */
async function commitSpan<T, O extends OperationOptions>(
  telemetry: ResolvedTelemetry,
  events: number,
  callOptions: O | undefined,
  run: (span: Span, withCost: O) => Promise<T>,
): Promise<T> {
  return telemetry.tracer.startActiveSpan(
    COMMIT_SPAN_NAME,
    { kind: SpanKind.CLIENT, attributes: { ...telemetry.attributes, "projectionkit.events": events } },
    async (span) => {
      const cost = { requests: 0, writeUnits: 0, readUnits: 0 };
      const onRequest = (request: RequestCost) => {
        cost.requests++;
        cost.writeUnits += request.writeUnits ?? 0;
        cost.readUnits += request.readUnits ?? 0;
        callOptions?.onRequest?.(request);
      };
      try {
        return await run(span, { ...(callOptions as O), onRequest });
      } catch (error) {
        span.setAttribute("projectionkit.outcome", "error");
        recordError(span, error);
        throw error;
      } finally {
        span.setAttributes({ "projectionkit.requests": cost.requests, "projectionkit.write_units": cost.writeUnits, "projectionkit.read_units": cost.readUnits });
        span.end();
      }
    },
  );
}

function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
