/**
 * One client process of the restart harness (scripts/restarts.ts): steady load through the
 * SDK until its stdin closes, with a JSON line of counts on stdout every second and a last
 * one (`"final": true`) before it exits 0. A crash of the runtime shows as its exit status.
 *
 * The load, all at once: uploads, Execute with a check of the result, Collect of a plan,
 * downloads of a stored frame and of a plan read slowly (a batch every 20 ms), and ingest
 * calls (a NATS source fed by this process, listed and snapshotted). Every call is checked;
 * a failure is counted by call and gRPC code, never retried here: the SDK's own retries (and
 * resumed downloads) are counted as `retries`, the calls the client's shield refused on a
 * drained connection (retried by grpc-js) as `refused`.
 *
 * `deno run -A scripts/_restarts_client.ts --id 1 --endpoints h:p,h:p --ingest h:p --nats URL`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { col, connect, connectIngest, type RemoteDataFrame } from "../sdk/mod.ts";
import { abortableSleep } from "../sdk/transport/resume.ts";
import { GrpcCode, PolaroidError } from "../shared/errors.ts";
import { connectNats } from "../shared/nats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    id: { type: "string", default: "1" },
    endpoints: { type: "string" },
    ingest: { type: "string" },
    nats: { type: "string" },
    rows: { type: "string", default: "20000" },
  },
});
const id = values.id;
const ROWS = Number(values.rows);

const counts = {
  ok: {} as Record<string, number>,
  failed: {} as Record<string, number>,
  retries: 0,
  goaways: 0,
  refused: 0,
  /**
   * Times this client's source was gone and added again: the ingest service keeps its
   * sources in memory, a restart loses them (the calls themselves do not fail).
   */
  lostSources: 0,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const counted = (ms: number, signal?: AbortSignal) => {
  counts.retries++;
  return abortableSleep(ms, signal);
};
const observer = {
  goaway(info: { refused: number }) {
    counts.goaways++;
    counts.refused += info.refused;
  },
};

const client = await connect({
  endpoints: values.endpoints!.split(","),
  timeoutMs: 120_000,
  retry: { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000, sleep: counted },
  resume: { maxRetries: 10, sleep: counted },
  goawayObserver: observer,
});
const ingest = await connectIngest({
  endpoint: values.ingest!,
  timeoutMs: 60_000,
  goawayObserver: observer,
});
const nats = await connectNats(values.nats!, { name: `restarts-client-${id}` });

function codeName(error: unknown): string {
  if (!(error instanceof PolaroidError)) return error instanceof Error ? error.name : "?";
  return Object.entries(GrpcCode).find(([, v]) => v === error.code)?.[0] ?? String(error.code);
}

let running = true;
/** Runs `call` until stdin closes, counting outcomes under `name`. */
async function loop(name: string, call: () => Promise<void>): Promise<void> {
  while (running) {
    try {
      await call();
      counts.ok[name] = (counts.ok[name] ?? 0) + 1;
    } catch (error) {
      const key = `${name} ${codeName(error)}`;
      counts.failed[key] = (counts.failed[key] ?? 0) + 1;
      console.error(`${key}: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(100);
    }
  }
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`wrong result: ${what}`);
}

const values0 = Array.from({ length: ROWS }, (_, i) => ({ k: i % 97, v: i }));
const baseSum = values0.reduce((a, r) => a + r.v, 0);
let base: RemoteDataFrame | undefined;
while (base === undefined) {
  try {
    base = await client.fromRecords(values0);
  } catch (error) {
    counts.failed[`base ${codeName(error)}`] = (counts.failed[`base ${codeName(error)}`] ?? 0) +
      1;
    await sleep(500);
  }
}
const frame = base;

async function upload(): Promise<void> {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ a: i, b: `r${i}` }));
  const df = await client.fromRecords(rows);
  check(df.height === 2000, "upload height");
  await df.release();
}

async function execute(): Promise<void> {
  const step = Math.floor(Math.random() * 1000);
  const df = await frame.lazy().withColumns(col("v").add(step)).collect({ cache: false });
  const [row] = await df.lazy().select(col("v").sum().alias("s")).toRecords();
  check(Number(row!.s) === baseSum + step * ROWS, "execute sum");
  await df.release();
}

async function collectPlan(): Promise<void> {
  const table = await frame.lazy().filter(col("k").eq(3)).select("v").toArrow();
  check(table.numRows === values0.filter((r) => r.k === 3).length, "collect rows");
}

async function slowDownload(): Promise<void> {
  let rows = 0;
  for await (const batch of frame.stream({ batchSize: 500 })) {
    rows += batch.numRows;
    await sleep(20);
  }
  check(rows === ROWS, `download rows ${rows}`);
}

async function slowPlanStream(): Promise<void> {
  let rows = 0;
  for await (const batch of frame.lazy().select("k", "v").stream({ batchSize: 500 })) {
    rows += batch.numRows;
    await sleep(20);
  }
  check(rows === ROWS, `plan stream rows ${rows}`);
}

const source = `restarts_${id}`;
const subject = `restarts.client${id}`;
/** Where the source reads (the default tenant's ingest namespace). */
const published = `polaroid.ingest.default.${subject}`;
let added = false;
/** Rows the source took so far; adds the source when the ingest service has none. */
async function sourceRows(): Promise<bigint> {
  const found = (await ingest.listSources()).find((s) => s.spec?.name === source);
  if (found) return found.rows;
  if (added) counts.lostSources++;
  await ingest.addNatsSource({ name: source, subject, maxBatchRows: 50, maxBatchDelayMs: 50 });
  added = true;
  return 0n;
}

async function snapshot(): Promise<void> {
  const publish = async () => {
    for (let i = 0; i < 20; i++) nats.publish(published, JSON.stringify({ n: i, client: id }));
    await nats.flush();
  };
  let before = await sourceRows();
  await publish();
  // The rows reach the source's buffer through NATS: wait for them (bounded). A source
  // added again meanwhile (the ingest service restarted) missed them: they are sent again.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const lost = counts.lostSources;
    const rows = await sourceRows();
    if (counts.lostSources !== lost) {
      before = 0n;
      await publish();
    } else if (rows > before) {
      break;
    }
    await sleep(20);
  }
  let handle: string;
  try {
    handle = await ingest.snapshot(source);
  } catch (error) {
    // The ingest service restarted since the source was listed: it is added again next time.
    if (error instanceof PolaroidError && error.code === GrpcCode.NOT_FOUND) return;
    throw error;
  }
  const df = await client.handle(handle);
  await df.release();
}

const progress = setInterval(() => console.log(JSON.stringify({ id, ...counts })), 1000);
const loops = [
  loop("upload", upload),
  loop("execute", execute),
  loop("collect", collectPlan),
  loop("download slow", slowDownload),
  loop("plan stream slow", slowPlanStream),
  loop("ingest snapshot", snapshot),
];

for await (const _ of Deno.stdin.readable) {
  // runs until stdin closes
}
running = false;
await Promise.all(loops);
clearInterval(progress);
await frame.release().catch(() => {});
await client.close();
await ingest.close();
await nats.drain();
console.log(JSON.stringify({ id, final: true, ...counts }));
