import { createHash } from "node:crypto";
import { startDynalite } from "@projectionkit/dynamodb-testing";
import { COMMIT_SPAN_NAME, DELIVERY_SPAN_NAME } from "@projectionkit/core/telemetry";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { instrumentedHandler } from "../src/instrumented-handler.js";
import { createProjectionTables, readCustomerTotals } from "../src/tables.js";

function inserted(n: number, orderId: string, customerId: string, total: number): DynamoDBRecord {
  const sequenceNumber = String(200_000_000_000_000_000_000n + BigInt(n));
  return {
    eventID: createHash("md5").update(sequenceNumber).digest("hex"),
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      Keys: { orderId: { S: orderId } },
      NewImage: { orderId: { S: orderId }, customerId: { S: customerId }, total: { N: String(total) }, status: { S: "PLACED" } },
      SequenceNumber: sequenceNumber,
      StreamViewType: "NEW_AND_OLD_IMAGES",
      ApproximateCreationDateTime: 1_795_651_200 + n,
    },
    eventSourceARN: "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-11-26T00:00:00.000",
  };
}

describe("G6 telemetry in a Lambda handler (the README's example)", () => {
  it("G6: each stream record gives a delivery span, each commit a span with its write units, and the counters add up; a redelivery shows as duplicates", async () => {
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer("test");
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meter = new MeterProvider({ readers: [reader] }).getMeter("test");

    await using dynamodb = await startDynalite();
    const tables = { versionsTable: "ProjectionVersions", totalsTable: "CustomerTotals" };
    await createProjectionTables(dynamodb.client, tables);
    const handler = instrumentedHandler(dynamodb.client, tables, { tracer, meter });
    const event = { Records: [inserted(1, "o-1", "c-1", 30), inserted(2, "o-2", "c-1", 12), inserted(3, "o-3", "c-2", 5)] };

    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await handler(event)).toEqual({ batchItemFailures: [] }); // redelivered: duplicates
    expect((await readCustomerTotals(dynamodb.client, tables.totalsTable))["c-1"]).toMatchObject({ orders: 2 });

    const finished = spans.getFinishedSpans();
    const deliveries = finished.filter((span) => span.name === DELIVERY_SPAN_NAME);
    expect(deliveries.map((span) => span.attributes["projectionkit.outcome"]).sort()).toEqual(["applied", "applied", "applied", "duplicate", "duplicate", "duplicate"]);
    expect(deliveries.every((span) => span.attributes["projection.name"] === "customer-totals")).toBe(true);
    const commits = finished.filter((span) => span.name === COMMIT_SPAN_NAME);
    const writeUnits = commits.reduce((sum, span) => sum + Number(span.attributes["projectionkit.write_units"]), 0);
    expect(writeUnits).toBeGreaterThan(0);

    await reader.forceFlush();
    const metrics = exporter.getMetrics().at(-1)?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    const sum = (name: string) => metrics.find((metric) => metric.descriptor.name === name)?.dataPoints.reduce((total, point) => total + Number(point.value), 0);
    expect(sum("projectionkit.events")).toBe(6);
    expect(sum("projectionkit.write_units")).toBe(writeUnits);
  });
});
