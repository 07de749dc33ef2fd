/**
 * A cluster on a locked-down nats-server (`startCluster({ natsAuth: true })`,
 * scripts/nats_config.ts): the services work through it (catalog and leases in JetStream KV,
 * handle events, jobs), while a process without credentials cannot connect, and the ingest
 * service's user, which reads NATS sources, can neither read handle events nor forge one: a
 * forged "freed" event for a live handle leaves it served.
 */

import assert from "node:assert/strict";
import { connect as natsConnect, type NatsConnection } from "@nats-io/transport-node";
import { col, connect } from "../sdk/mod.ts";
import { HandleEvent, HandleEvent_Kind } from "../shared/gen/polaroid/v1/handle.ts";
import { HANDLE_EVENTS_SUBJECT } from "../shared/nats.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster({ natsAuth: true, env: { POLAROID_CATALOG: "jetstream" } });
const users = cluster.natsUsers!;
const servers = cluster.endpoints.nats;
const ROWS = Array.from({ length: 200 }, (_, i) => ({ k: i % 4, v: i }));

async function as(user: { user: string; pass: string }): Promise<NatsConnection> {
  return await natsConnect({ servers, ...user, timeout: 5000 });
}

/** Collects what `nc` receives on `subject` while `during` runs, and a little after. */
async function received(nc: NatsConnection, subject: string, during: () => Promise<void>) {
  const seen: string[] = [];
  const sub = nc.subscribe(subject, {
    callback: (error, m) => void seen.push(error ? `error: ${error.message}` : m.subject),
  });
  await nc.flush().catch(() => {});
  await during();
  await new Promise((r) => setTimeout(r, 500));
  sub.unsubscribe();
  return seen;
}

Deno.test({
  name: "the services work through the locked-down server: catalog, events, jobs",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromRecords(ROWS);
    const sums = await df.lazy().groupBy("k").agg(col("v").sum().alias("s")).sort("k").toArrow();
    assert.equal(sums.numRows, 4);
    const job = await df.lazy().filter(col("k").eq(1)).submit();
    const done = await job.wait({ timeoutMs: 60_000 });
    assert.equal(Number(done.info.rows), 50);
    await done.release();
  },
});

/**
 * What the server answers a client that signs in with `connect` (fields of the NATS CONNECT
 * message), spoken over a plain socket: the protocol itself, no client library in between.
 */
async function signIn(connect: Record<string, unknown>): Promise<string> {
  const [host, port] = servers.slice("nats://".length).split(":");
  const conn = await Deno.connect({ hostname: host!, port: Number(port) });
  try {
    const text = new TextDecoder();
    const read = async () => {
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf);
      return n === null ? "" : text.decode(buf.subarray(0, n));
    };
    assert.match(await read(), /^INFO /);
    const line = `CONNECT ${
      JSON.stringify({ verbose: false, pedantic: false, ...connect })
    }\r\nPING\r\n`;
    await conn.write(new TextEncoder().encode(line));
    let answer = "";
    const deadline = Date.now() + 5000;
    while (!/PONG|-ERR/.test(answer) && Date.now() < deadline) {
      const more = await read();
      if (more === "") break;
      answer += more;
    }
    return answer;
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the server
    }
  }
}

Deno.test({
  name: "no credentials or a wrong password: no connection",
  ...INTEGRATION,
  async fn() {
    assert.match(await signIn({}), /-ERR 'Authorization Violation'/);
    assert.match(
      await signIn({ user: users.compute.user, pass: "wrong" }),
      /-ERR 'Authorization Violation'/,
    );
    assert.match(await signIn({ user: users.compute.user, pass: users.compute.pass }), /PONG/);
  },
});

Deno.test({
  name: "the ingest user reads no handle events and forges none; compute forges none",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const canary = await client.fromRecords(ROWS);
    const ingest = await as(users.ingest);
    const compute = await as(users.compute);
    try {
      // Events flow (compute sees them) but never reach the ingest user.
      const [byIngest, byCompute] = await Promise.all([
        received(ingest, `${HANDLE_EVENTS_SUBJECT}.>`, async () => {
          await new Promise((r) => setTimeout(r, 200));
        }),
        received(compute, `${HANDLE_EVENTS_SUBJECT}.>`, async () => {
          await (await client.fromRecords([{ a: 1 }])).release();
        }),
      ]);
      assert.ok(byCompute.length > 0, "handle events flow to compute");
      assert.ok(
        byIngest.some((s) => s.startsWith("error: Permissions Violation for Subscription")),
        "the server refused the ingest user's subscription",
      );
      assert.deepEqual(
        byIngest.filter((s) => !s.startsWith("error: Permissions Violation")),
        [],
        `the ingest user reads no handle events: ${byIngest}`,
      );
      // Forged "freed" events for the canary, from each user that is not the handles service.
      const forged = HandleEvent.encode({
        kind: HandleEvent_Kind.KIND_FREED,
        id: canary.id,
        worker: "compute",
        reason: "forged",
        atMs: BigInt(Date.now()),
      }).finish();
      for (const nc of [ingest, compute]) {
        nc.publish(`${HANDLE_EVENTS_SUBJECT}.freed`, forged);
        await nc.flush().catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(await canary.toRecords(), ROWS, "the canary is still served");
    } finally {
      await ingest.close();
      await compute.close();
      await canary.release();
    }
  },
});

Deno.test({
  name: "locked-down cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
  },
});
