import { startDynalite } from "@projectionkit/dynamodb-testing";
import { runDemo, runHotAccount } from "./run-demo.ts";

// An embedded DynamoDB (dynalite with TransactWriteItems added): no AWS account, no Docker, no Java.
await using dynamodb = await startDynalite();

console.log("projectionkit demo: account balances from an at-least-once stream, 4 workers, faults injected\n");
const summary = await runDemo({ endpoint: dynamodb.endpoint, progress: (line) => console.log(line) });

const requests = [...summary.requests].map(([command, n]) => `${command.replace(/Command$/, "")} ${n}`).join(", ");
console.log(`
events              ${summary.events}
deliveries          ${summary.deliveries} (duplicates and redeliveries included)
applied             ${summary.counts.applied}${summary.passed && summary.events > summary.counts.applied ? ` (+${summary.events - summary.counts.applied} committed on an attempt whose answer was lost, recognised on retry)` : ""}
duplicates skipped  ${summary.counts.duplicates}
held back (gaps)    ${summary.counts.gaps + summary.counts.held}, delivered again later
conflicts           ${summary.counts.conflicts}
retries             ${summary.counts.retries} (faults: ${summary.faults.throttled} throttled, ${summary.faults.lostResponses} lost responses)
requests            ${requests}
write requests      ${summary.writeRequestsPerEvent.toFixed(2)} per event (the driver batches each account's events; handleEvents coalesces them)
write units         ${summary.writeUnits || "not reported by this DynamoDB"}
time                ${summary.seconds.toFixed(1)} s

read model equals the expected fold: ${summary.passed ? "PASS" : "FAIL"}`);
for (const line of summary.mismatches.slice(0, 10)) {
  console.log(`  ${line}`);
}

const hot = await runHotAccount(dynamodb.endpoint);
console.log(`
hot account: ${hot.events} deposits into one account, one batch
  without handleEvents  ${hot.uncoalesced} write requests (one transaction per event: one action per item)
  with handleEvents     ${hot.coalesced} write requests (${(hot.coalesced / hot.events).toFixed(3)} per event)
  balances exact: ${hot.passed ? "PASS" : "FAIL"}`);
process.exitCode = summary.passed && hot.passed ? 0 : 1;
