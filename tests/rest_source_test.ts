/**
 * The REST source against a real HTTP server with every pagination style, 429s and 5xx on
 * purpose, a rate limit, polling past a watermark, a credential from the config, a schema
 * override, and a restart in the middle of a load.
 */

import assert from "node:assert/strict";
import { connect, connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitForSource } from "./_ingest.ts";
import { startRestServer } from "./_rest_server.ts";

const SECRET = "Bearer s3cr3t-token-value";
const stateDir = await Deno.makeTempDir({ prefix: "polaroid-rest-state-" });
const credentials = await Deno.makeTempFile({ suffix: ".json" });
await Deno.writeTextFile(
  credentials,
  JSON.stringify({ default: { exchange: { headers: { authorization: SECRET } } } }),
);
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir, POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20" },
  serviceEnv: {
    ingest: {
      POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1",
      POLAROID_INGEST_CREDENTIALS_FILE: credentials,
    },
  },
});

/** Polls the source until `ok` holds. */
function waitFor(name: string, ok: (info: SourceInfo) => boolean): Promise<SourceInfo> {
  return waitForSource(cluster.endpoints.ingest, name, ok, 60_000);
}

async function ids(table: string): Promise<number[]> {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  return (await client.scanLive(table).select("id").toRecords()).map((r) => Number(r.id));
}

Deno.test({
  name: "each pagination style loads the whole history once, through 429s and 503s",
  ...INTEGRATION,
  async fn() {
    await using server = startRestServer({ records: 1000, every429: 7, every503: 11, delayMs: 5 });
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    const styles = [
      {
        name: "by_offset",
        pagination: "offset",
        path: "/offset",
        records: "data[*]",
        concurrency: 4,
      },
      { name: "by_page", pagination: "page", path: "/page", records: "data[*]" },
      {
        name: "by_cursor",
        pagination: "cursor",
        path: "/cursor",
        records: "data[*]",
        cursorPath: "meta.next",
      },
      { name: "by_link", pagination: "link", path: "/link", records: "[*]" },
    ] as const;
    for (const style of styles) {
      await ingest.addRestSource({
        name: style.name,
        url: `${server.url}${style.path}`,
        pagination: style.pagination,
        records: style.records,
        pageSize: 100,
        requestsPerSecond: 200,
        ...("concurrency" in style ? { concurrency: style.concurrency } : {}),
        ...("cursorPath" in style ? { cursorPath: style.cursorPath } : {}),
      });
    }
    for (const style of styles) {
      const info = await waitFor(style.name, (s) => s.state === "done");
      assert.equal(info.committedRows, 1000n, style.name);
      assert.deepEqual((await ids(style.name)).sort((a, b) => a - b), [...Array(1000).keys()]);
      await ingest.removeSource(style.name);
    }
    assert.ok(server.requests.some((r) => r.status === 429));
    assert.ok(server.requests.some((r) => r.status === 503));
    assert.ok(server.maxInFlight() >= 2, "offset pages load several at once");
  },
});

Deno.test({
  name: "a REST source keeps its request rate, and its credential out of every answer",
  ...INTEGRATION,
  async fn() {
    await using server = startRestServer({ records: 300, authorization: SECRET });
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    const started = Date.now();
    await ingest.addRestSource({
      name: "slow",
      url: `${server.url}/page`,
      pagination: "page",
      records: "data[*]",
      pageSize: 10,
      requestsPerSecond: 20,
      credential: "exchange",
      schema: { ts: "Datetime", px: "String" },
    });
    const info = await waitFor("slow", (s) => s.state === "done");
    assert.equal(info.committedRows, 300n);
    // 31 requests (the last page is empty) at 20/s, a burst of 20 first: over half a second.
    assert.ok(Date.now() - started >= 500);
    const spans = server.requests.map((r) => r.at);
    const perSecond = (spans.length - 20) / ((spans.at(-1)! - spans[0]!) / 1000);
    assert.ok(perSecond <= 22, `requests per second: ${perSecond}`);
    assert.ok(
      !JSON.stringify(info.spec, (_, v) => (typeof v === "bigint" ? String(v) : v)).includes(
        "s3cr3t",
      ),
    );
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const schema = await client.scanLive("slow").schema();
    assert.match(String(schema.ts), /Datetime/);
    assert.match(String(schema.px), /String|Utf8/);
    assert.ok(!cluster.logs("ingest").includes("s3cr3t"), "the credential is never logged");
    await assert.rejects(
      ingest.addRestSource({ name: "x", url: `${server.url}/page`, credential: "nobody" }),
      /'spec\.rest\.credential'/,
    );
    await ingest.removeSource("slow");
  },
});

Deno.test({
  name: "a polling REST source takes only records past its watermark",
  ...INTEGRATION,
  async fn() {
    await using server = startRestServer({ records: 50 });
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await ingest.addRestSource({
      name: "poll",
      url: `${server.url}/poll`,
      records: "data[*]",
      pollIntervalMs: 200,
      watermarkField: "ts",
      watermarkParam: "since",
    });
    await waitFor("poll", (s) => s.committedRows === 50n);
    for (let i = 50; i < 80; i++) {
      server.data.push({ id: i, ts: 1_700_000_000_000 + i * 1000, px: 1 });
    }
    const info = await waitFor("poll", (s) => s.committedRows === 80n);
    assert.equal(info.committedOffsets["rest:watermark"], String(1_700_000_000_000 + 79 * 1000));
    assert.deepEqual((await ids("poll")).sort((a, b) => a - b), [...Array(80).keys()]);
    // Polls go on without duplicating anything.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await ids("poll")).length, 80);
    await ingest.removeSource("poll");
  },
});

Deno.test({
  name: "a REST load restarted halfway resumes at its position; a 404 fails the source",
  ...INTEGRATION,
  async fn() {
    await using server = startRestServer({ records: 2000, delayMs: 20 });
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await ingest.addRestSource({
      name: "resume",
      url: `${server.url}/cursor`,
      pagination: "cursor",
      cursorPath: "meta.next",
      records: "data[*]",
      pageSize: 50,
      requestsPerSecond: 100,
    });
    await waitFor("resume", (s) => s.committedRows >= 300n);
    await cluster.restart("ingest");
    await using again = await connectIngest({ endpoint: cluster.endpoints.ingest });
    const info = await waitFor("resume", (s) => s.state === "done");
    assert.equal(info.committedRows, 2000n);
    assert.deepEqual((await ids("resume")).sort((a, b) => a - b), [...Array(2000).keys()]);
    await again.removeSource("resume");
    await again.addRestSource({ name: "missing", url: `${server.url}/nothing` });
    const failed = await waitFor("missing", (s) => s.state === "failed");
    assert.match(failed.lastError, /HTTP 404/);
    await again.removeSource("missing");
  },
});

Deno.test({
  name: "rest source cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true });
    await Deno.remove(credentials);
  },
});
