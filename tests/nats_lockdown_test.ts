/**
 * A cluster on a locked-down nats-server (`startCluster({ natsAuth: true })`,
 * scripts/nats_config.ts): the services work through it (catalog and leases in JetStream KV,
 * handle events, jobs), while a process without credentials cannot connect, and the ingest
 * service's user, which reads NATS sources, can neither read handle events nor forge one: a
 * forged "freed" event for a live handle leaves it served. Each service's user reaches only its
 * own streams through the JetStream API: compute can neither delete, purge nor read the
 * catalog's or the leases' buckets, and handles cannot touch the job queue.
 */

import assert from "node:assert/strict";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import {
  connect as natsConnect,
  type NatsConnection,
  PermissionViolationError,
} from "@nats-io/transport-node";
import { col, connect, connectIngest } from "../sdk/mod.ts";
import { JOBS_BUCKET, JOBS_CONSUMER, JOBS_STREAM } from "../services/compute/jobs_queue.ts";
import { LEASE_BUCKET } from "../services/handles/kv_lease_store.ts";
import { CATALOG_BUCKET, recordKey } from "../services/handles/kv_records.ts";
import { HandleEvent, HandleEvent_Kind } from "../shared/gen/polaroid/v1/handle.ts";
import { HANDLE_EVENTS_SUBJECT, NATS_INBOX_PREFIX } from "../shared/nats.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

// Live tables (JetStream sources) need a state store.
const stateDir = await Deno.makeTempDir({ prefix: "polaroid-lockdown-state-" });
globalThis.addEventListener("unload", () => Deno.removeSync(stateDir, { recursive: true }));
const cluster = await testCluster({
  natsAuth: true,
  natsPublishers: ["acme", "globex"],
  env: { POLAROID_CATALOG: "jetstream", POLAROID_STATE_DIR: stateDir },
});
const users = cluster.natsUsers!;
const servers = cluster.endpoints.nats;
const ROWS = Array.from({ length: 200 }, (_, i) => ({ k: i % 4, v: i }));

/** A connection as `user`; with `inboxPrefix`, its replies come where the user may read them. */
async function as(
  user: { user: string; pass: string },
  inboxPrefix?: string,
): Promise<NatsConnection> {
  return await natsConnect({
    servers,
    ...user,
    timeout: 5000,
    ...(inboxPrefix ? { inboxPrefix } : {}),
  });
}

/** Asserts that `call` rejects because the server refused publishing its request to `subject`. */
async function assertRefused(call: Promise<unknown>, subject: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    let refusal: unknown = error;
    while (refusal instanceof Error && !(refusal instanceof PermissionViolationError)) {
      refusal = refusal.cause;
    }
    assert.ok(refusal instanceof PermissionViolationError, `a permission violation: ${error}`);
    assert.equal(refusal.operation, "publish");
    assert.equal(refusal.subject, subject);
    return true;
  });
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
  name: "the compute user can neither delete, purge nor read the catalog's and leases' buckets",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using canary = await client.fromRecords(ROWS);
    const compute = await as(users.compute, NATS_INBOX_PREFIX.compute);
    const handles = await as(users.handles, NATS_INBOX_PREFIX.handles);
    try {
      const catalog = `KV_${CATALOG_BUCKET}`;
      const leases = `KV_${LEASE_BUCKET}`;
      const jsm = await jetstreamManager(compute);
      // Its own bucket answers: what is refused below is refused by the grants.
      assert.equal((await jsm.streams.info(`KV_${JOBS_BUCKET}`)).config.name, `KV_${JOBS_BUCKET}`);
      for (const stream of [catalog, leases]) {
        await assertRefused(jsm.streams.delete(stream), `$JS.API.STREAM.DELETE.${stream}`);
        await assertRefused(jsm.streams.purge(stream), `$JS.API.STREAM.PURGE.${stream}`);
        await assertRefused(jsm.streams.info(stream), `$JS.API.STREAM.INFO.${stream}`);
        await assertRefused(
          jsm.streams.getMessage(stream, { seq: 1 }),
          `$JS.API.STREAM.MSG.GET.${stream}`,
        );
        await assertRefused(
          jsm.direct.getMessage(stream, { seq: 1 }),
          `$JS.API.DIRECT.GET.${stream}`,
        );
      }
      const key = recordKey(canary.id);
      const kv = await new Kvm(compute).open(CATALOG_BUCKET, { allow_direct: true });
      await assertRefused(
        kv.get(key),
        `$JS.API.DIRECT.GET.${catalog}.$KV.${CATALOG_BUCKET}.${key}`,
      );
      // The catalog is whole and the canary still served.
      const info = await (await jetstreamManager(handles)).streams.info(catalog);
      assert.ok(info.state.messages > 0, "the catalog stream keeps its entries");
      assert.deepEqual(await canary.toRecords(), ROWS, "the canary is still served");
    } finally {
      await compute.close();
      await handles.close();
    }
  },
});

Deno.test({
  name: "the handles user cannot touch the job queue",
  ...INTEGRATION,
  async fn() {
    const handles = await as(users.handles, NATS_INBOX_PREFIX.handles);
    const compute = await as(users.compute, NATS_INBOX_PREFIX.compute);
    try {
      const jobsKv = `KV_${JOBS_BUCKET}`;
      const jsm = await jetstreamManager(handles);
      // Its own bucket answers: what is refused below is refused by the grants.
      assert.equal(
        (await jsm.streams.info(`KV_${CATALOG_BUCKET}`)).config.name,
        `KV_${CATALOG_BUCKET}`,
      );
      for (const stream of [JOBS_STREAM, jobsKv]) {
        await assertRefused(jsm.streams.delete(stream), `$JS.API.STREAM.DELETE.${stream}`);
        await assertRefused(jsm.streams.purge(stream), `$JS.API.STREAM.PURGE.${stream}`);
        await assertRefused(jsm.streams.info(stream), `$JS.API.STREAM.INFO.${stream}`);
        await assertRefused(
          jsm.streams.getMessage(stream, { seq: 1 }),
          `$JS.API.STREAM.MSG.GET.${stream}`,
        );
      }
      await assertRefused(
        jsm.consumers.delete(JOBS_STREAM, JOBS_CONSUMER),
        `$JS.API.CONSUMER.DELETE.${JOBS_STREAM}.${JOBS_CONSUMER}`,
      );
      await assertRefused(
        jsm.consumers.info(JOBS_STREAM, JOBS_CONSUMER),
        `$JS.API.CONSUMER.INFO.${JOBS_STREAM}.${JOBS_CONSUMER}`,
      );
      await assertRefused(
        jsm.direct.getMessage(jobsKv, { seq: 1 }),
        `$JS.API.DIRECT.GET.${jobsKv}`,
      );
      // The queue and its consumer are whole, and jobs still run.
      const computeJsm = await jetstreamManager(compute);
      assert.equal((await computeJsm.streams.info(JOBS_STREAM)).config.name, JOBS_STREAM);
      assert.equal(
        (await computeJsm.consumers.info(JOBS_STREAM, JOBS_CONSUMER)).name,
        JOBS_CONSUMER,
      );
      await using client = await connect({ endpoint: cluster.endpoints.compute });
      await using df = await client.fromRecords(ROWS);
      const done = await (await df.lazy().filter(col("k").eq(2)).submit()).wait({
        timeoutMs: 60_000,
      });
      assert.equal(Number(done.info.rows), 50);
      await done.release();
    } finally {
      await handles.close();
      await compute.close();
    }
  },
});

Deno.test({
  name: "a tenant's publisher feeds its own ingest sources only, and reads nothing",
  ...INTEGRATION,
  async fn() {
    const [acme, globex] = cluster.natsPublishers!;
    assert.equal(acme!.user, "publisher-acme");
    await using ingest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      tenant: "acme",
    });
    const source = await ingest.addNatsSource({ name: "md", subject: "md.>" });
    assert.equal(source.natsSubject, "polaroid.ingest.acme.md.>");
    const ours = await as(acme!);
    const theirs = await as(globex!);
    try {
      // globex's publisher may not write into acme's namespace, nor into Polaroid's own.
      const seen = await received(theirs, "polaroid.ingest.globex.>", async () => {
        theirs.publish("polaroid.ingest.acme.md.ticks", JSON.stringify({ forged: 1 }));
        theirs.publish(`${HANDLE_EVENTS_SUBJECT}.freed`, "forged");
        await theirs.flush().catch(() => {});
      });
      assert.ok(
        seen.some((s) => s.startsWith("error: Permissions Violation for Subscription")),
        `a publisher reads nothing, not even its own namespace: ${seen}`,
      );
      for (let i = 0; i < 25; i++) ours.publish("polaroid.ingest.acme.md.ticks", `{"i": ${i}}`);
      await ours.flush();
      let messages = 0n;
      await waitFor(async () => {
        messages = (await ingest.listSources())[0]!.messages;
        return messages >= 25n;
      }, { timeoutMs: 10_000, what: "acme's 25 messages at its source" });
      assert.equal(messages, 25n, "globex's forged message did not arrive");
      const log = cluster.logs("nats");
      assert.match(
        log,
        /Publish Violation - User "publisher-globex", Subject "polaroid\.ingest\.acme\.md\.ticks"/,
      );
    } finally {
      await ours.close();
      await theirs.close();
      await ingest.removeSource("md");
    }
  },
});

Deno.test({
  name: "a tenant's publisher feeds its own JetStream sources only, through the ingest stream",
  ...INTEGRATION,
  async fn() {
    const [acme, globex] = cluster.natsPublishers!;
    await using ingest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      tenant: "acme",
    });
    const source = await ingest.addJetStreamSource({ name: "orders", subject: "orders" });
    assert.equal(source.natsSubject, "polaroid.durable.acme.orders");
    const ours = await as(acme!);
    const theirs = await as(globex!);
    try {
      theirs.publish("polaroid.durable.acme.orders", JSON.stringify({ forged: 1 }));
      await theirs.flush().catch(() => {});
      // A publisher reads no replies: it publishes without the stream's acknowledgement.
      for (let i = 0; i < 30; i++) ours.publish("polaroid.durable.acme.orders", `{"i": ${i}}`);
      await ours.flush();
      let committed = 0n;
      await waitFor(async () => {
        committed = (await ingest.listSources())[0]!.committedRows;
        return committed >= 30n;
      }, { timeoutMs: 15_000, what: "acme's 30 messages in its live table" });
      assert.equal(committed, 30n, "globex's forged message did not arrive");
      assert.match(
        cluster.logs("nats"),
        /Publish Violation - User "publisher-globex", Subject "polaroid\.durable\.acme\.orders"/,
      );
    } finally {
      await ours.close();
      await theirs.close();
      await ingest.removeSource("orders");
    }
  },
});

Deno.test({
  name: "the services' own NATS traffic met no permission violation",
  ...INTEGRATION,
  fn() {
    // The services name their connections after themselves; this file's own are unnamed.
    const refused = cluster.logs("nats").split("\n").filter((line) =>
      /Violation/.test(line) && /"[^"]*:polaroid-[a-z]+"/.test(line)
    );
    assert.deepEqual(refused, [], "the grants cover every call the services made");
  },
});

Deno.test({
  name: "locked-down cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
  },
});
