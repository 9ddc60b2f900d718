import { DeliveryDriver, type SourceEvent } from "@projectionkit/core";
import { COMMIT_SPAN_NAME, DELIVERY_SPAN_NAME, driverTelemetry, instrumentProjection } from "@projectionkit/core/telemetry";
import { memoryProjection } from "@projectionkit/memory";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

function telemetry() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    spans,
    tracer: tracerProvider.getTracer("test"),
    meter: meterProvider.getMeter("test"),
    /** The sum of a counter, by its `projectionkit.outcome` attribute when it has one. */
    async sums(): Promise<Map<string, number>> {
      await reader.forceFlush();
      const sums = new Map<string, number>();
      const latest = metrics.getMetrics().at(-1) as ResourceMetrics;
      for (const scope of latest.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const point of metric.dataPoints) {
            const outcome = point.attributes["projectionkit.outcome"];
            const key = outcome === undefined ? metric.descriptor.name : `${metric.descriptor.name}{${String(outcome)}}`;
            const value = typeof point.value === "number" ? point.value : point.value.count;
            sums.set(key, (sums.get(key) ?? 0) + value);
          }
        }
      }
      return sums;
    },
  };
}

/** A demo-sized at-least-once source: 100 streams × 10 events, a quarter delivered twice, shuffled per round. */
function source(): SourceEvent<LedgerEvent>[] {
  const events: SourceEvent<LedgerEvent>[] = [];
  for (let s = 0; s < 100; s++) {
    for (let offset = 0; offset < 10; offset++) {
      const event: SourceEvent<LedgerEvent> = { stream: `acc-${s}`, offset, event: { type: "Deposited", id: `acc-${s}@${offset}`, account: `acc-${s}`, amount: 1 } };
      events.push(event);
      if ((s * 10 + offset) % 4 === 0) events.push(event);
    }
  }
  return events;
}

describe("G6 telemetry: OpenTelemetry spans and counters", () => {
  it("G6: a demo-sized run gives one delivery span per delivered event and counters that add up to the driver's counts", async () => {
    const otel = telemetry();
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(instrumentProjection(projection, { tracer: otel.tracer }), {
      hooks: driverTelemetry({ tracer: otel.tracer, meter: otel.meter, attributes: { "projection.name": "ledger" } }),
    });
    const { counts } = await driver.deliverAll(source());
    expect(counts.applied).toBe(1000);
    expect(counts.duplicates).toBe(250);

    const finished = otel.spans.getFinishedSpans();
    const deliveries = finished.filter((span) => span.name === DELIVERY_SPAN_NAME);
    const commits = finished.filter((span) => span.name === COMMIT_SPAN_NAME);
    expect(deliveries).toHaveLength(counts.delivered);
    expect(deliveries.filter((span) => span.attributes["projectionkit.outcome"] === "duplicate")).toHaveLength(250);
    expect(deliveries.every((span) => span.attributes["projection.name"] === "ledger" && span.attributes["projectionkit.stream"] === undefined)).toBe(true);
    expect(commits.length).toBeGreaterThan(0);
    const committedEvents = commits.reduce((sum, span) => sum + Number(span.attributes["projectionkit.events.applied"]), 0);
    expect(committedEvents).toBe(1000);

    const sums = await otel.sums();
    expect(sums.get("projectionkit.events{applied}")).toBe(counts.applied);
    expect(sums.get("projectionkit.events{duplicate}")).toBe(counts.duplicates);
    expect(sums.get("projectionkit.conflicts")).toBe(counts.conflicts);
    expect(sums.get("projectionkit.retries")).toBe(counts.retries);
    expect(sums.get("projectionkit.delivery.duration{applied}")).toBe(counts.applied);
  });

  it("G6: a failed delivery's span has status ERROR and the exception; retries are counted; streams are recorded only when asked", async () => {
    const otel = telemetry();
    let failures = 2;
    const projection = memoryProjection(
      ledgerHandler({
        before: (event) => {
          if (event.id === "bad@0") throw new Error("poisoned");
          if (event.id === "flaky@0" && failures-- > 0) throw Object.assign(new Error("throttled"), { retryable: true });
        },
      }),
    );
    const seen: string[] = [];
    const driver = new DeliveryDriver(instrumentProjection(projection, { tracer: otel.tracer }), {
      retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
      isRetryable: (error) => (error as { retryable?: boolean }).retryable === true,
      hooks: driverTelemetry({ tracer: otel.tracer, meter: otel.meter, recordStreams: true, hooks: { onOutcome: (report) => void seen.push(report.outcome) } }),
    });
    const { counts } = await driver.deliverAll([
      { stream: "bad", offset: 0, event: { type: "Deposited", id: "bad@0", account: "bad", amount: 1 } },
      { stream: "flaky", offset: 0, event: { type: "Deposited", id: "flaky@0", account: "flaky", amount: 1 } },
    ]);
    expect(counts).toMatchObject({ failed: 1, applied: 1, retries: 2 });
    expect(seen.sort()).toEqual(["applied", "failed"]);
    const failed = otel.spans.getFinishedSpans().find((span) => span.name === DELIVERY_SPAN_NAME && span.attributes["projectionkit.stream"] === "bad");
    expect(failed?.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(failed?.events.some((event) => event.name === "exception")).toBe(true);
    const failedCommits = otel.spans.getFinishedSpans().filter((span) => span.name === COMMIT_SPAN_NAME && span.attributes["projectionkit.outcome"] === "error");
    expect(failedCommits.length).toBe(1 + 2); // the poisoned event once, the flaky one twice
    expect((await otel.sums()).get("projectionkit.retries")).toBe(2);
  });

  it("E2: telemetry options refuse unknown keys and things that are not tracers or meters", () => {
    expect(() => driverTelemetry({ tracr: {} } as never)).toThrow(/options\.tracr.*did you mean "tracer"/);
    expect(() => instrumentProjection(memoryProjection(ledgerHandler()), { tracer: {} as never })).toThrow(/options\.tracer/);
    expect(() => instrumentProjection({} as never)).toThrow(/handler/);
  });
});
