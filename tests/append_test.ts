/**
 * Append: producers pushing rows into live tables over gRPC, as Arrow or JSON, committed per
 * call, deduplicated per idempotent producer, refused whole when any part is bad.
 */

import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import {
  FailedPreconditionError,
  InvalidArgumentError,
  LimitExceededError,
} from "../shared/errors.ts";
import { IngestServiceService } from "../shared/gen/polaroid/v1/ingest.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { connect, connectIngest } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitFor } from "../scripts/_wait.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-append-state-" });
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir },
  serviceEnv: {
    ingest: {
      POLAROID_INGEST_MAX_APPEND_BYTES: "1MiB",
      POLAROID_INGEST_MAX_APPEND_BUFFER_BYTES: "2MiB",
    },
  },
});

Deno.test({
  name: "Append commits Arrow and JSON rows per call, Int64 exact, at contiguous positions",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const first = await ingest.append(
      "orders",
      tableFromArrays({ id: BigInt64Array.from([1n, 2n, 3n]), px: Float64Array.from([1, 2, 3]) }),
    );
    assert.deepEqual(first, { rows: 3, firstRow: 0, nextRow: 3, duplicate: false });
    const second = await ingest.append("orders", [
      { id: 9007199254740993n, px: 4.5 },
      { id: 5n, px: 5.5, note: "new column" },
    ]);
    assert.deepEqual(second, { rows: 2, firstRow: 3, nextRow: 5, duplicate: false });
    const rows = await client.scanLive("orders").select("id", "note").toRecords();
    assert.deepEqual(rows.map((r) => r.id), [1n, 2n, 3n, 9007199254740993n, 5n]);
    assert.equal(rows[4]!.note, "new column");
  },
});

Deno.test({
  name: "Append: an idempotent producer's retried call is a duplicate; two producers interleave",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const calls = [];
    for (let sequence = 1; sequence <= 10; sequence++) {
      for (const id of ["desk-a", "desk-b"]) {
        calls.push(
          ingest.append("fills", [{ producer: id, sequence }], { producer: { id, sequence } }),
        );
      }
    }
    const results = await Promise.all(calls);
    assert.ok(results.every((r) => !r.duplicate && r.rows === 1));
    // Retries of calls whose answers were lost: nothing appended twice.
    for (const id of ["desk-a", "desk-b"]) {
      for (const sequence of [10, 3]) {
        const again = await ingest.append("fills", [{ producer: id, sequence }], {
          producer: { id, sequence },
        });
        assert.equal(again.duplicate, true, `${id} ${sequence}`);
      }
    }
    const counts = await client.scanLive("fills").groupBy("producer").len().sort("producer")
      .toRecords();
    assert.deepEqual(counts, [{ producer: "desk-a", len: 10 }, { producer: "desk-b", len: 10 }]);
  },
});

Deno.test({
  name: "Append refuses a bad call whole: JSON, Arrow bytes, size, tables a source writes",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await ingest.append("strict", [{ a: 1 }]);
    await assert.rejects(
      ingest.append("strict", [{ a: 2 }, "not an object" as never]),
      TypeError,
    );
    // A raw client sends what the SDK would not.
    const raw = new RpcClient(cluster.endpoints.ingest, IngestServiceService, {
      timeoutMs: 10_000,
    });
    try {
      await assert.rejects(
        raw.clientStream("append", [
          {
            table: "strict",
            producerId: "",
            sequence: 0n,
            rows: { $case: "jsonRows", value: '{"a":3}\n{"a":' },
          },
        ]),
        (e) => e instanceof InvalidArgumentError && /line 2 of 'json_rows'/.test(e.message),
      );
      await assert.rejects(
        raw.clientStream("append", [
          {
            table: "strict",
            producerId: "",
            sequence: 0n,
            rows: { $case: "arrowIpc", value: Buffer.from("definitely not arrow") },
          },
        ]),
        InvalidArgumentError,
      );
      await assert.rejects(
        raw.clientStream("append", [{
          table: "../up",
          producerId: "",
          sequence: 0n,
          rows: undefined,
        }]),
        /'table' must match/,
      );
      const big = `{"pad":"${"x".repeat(600_000)}"}`;
      await assert.rejects(
        raw.clientStream("append", [
          {
            table: "strict",
            producerId: "",
            sequence: 0n,
            rows: { $case: "jsonRows", value: big },
          },
          {
            table: "strict",
            producerId: "",
            sequence: 0n,
            rows: { $case: "jsonRows", value: big },
          },
        ]),
        (e) =>
          e instanceof LimitExceededError && /POLAROID_INGEST_MAX_APPEND_BYTES/.test(e.message),
      );
    } finally {
      raw.close();
    }
    // Nothing of the refused calls was committed.
    assert.deepEqual(await client.scanLive("strict").toRecords(), [{ a: 1n }]);
    // A table a source writes takes no appends, and a table producers append to takes no source.
    await ingest.addNatsSource({ name: "feed", subject: "x.y" });
    await assert.rejects(ingest.append("feed", [{ a: 1 }]), FailedPreconditionError);
    await assert.rejects(
      ingest.addNatsSource({ name: "other", subject: "x.z", table: "strict" }),
      (e) => e instanceof FailedPreconditionError && /appended to by producers/.test(e.message),
    );
    await ingest.removeSource("feed");
    assert.deepEqual((await ingest.listSources()).map((s) => s.spec?.name), []);
  },
});

Deno.test({
  name: "Append calls under way hold a bounded number of bytes together; the budget comes back",
  ...INTEGRATION,
  async fn() {
    const raw = new RpcClient(cluster.endpoints.ingest, IngestServiceService, {
      timeoutMs: 20_000,
    });
    const release = Promise.withResolvers<void>();
    const line = `{"pad":"${"x".repeat(700_000)}"}`;
    /** A call that sends 700 KB, then waits before ending its stream. */
    const held = () =>
      raw.clientStream(
        "append",
        (async function* () {
          yield {
            table: "budget",
            producerId: "",
            sequence: 0n,
            rows: { $case: "jsonRows" as const, value: line },
          };
          await release.promise;
        })(),
      );
    try {
      const first = held();
      const second = held();
      // Both hold their bytes (1.4 MB of 2 MiB): a third does not fit.
      await waitFor(async () => {
        try {
          await raw.clientStream("append", [{
            table: "budget",
            producerId: "",
            sequence: 0n,
            rows: { $case: "jsonRows", value: line },
          }]);
          return false;
        } catch (error) {
          if (!(error instanceof LimitExceededError)) throw error;
          assert.match(error.message, /POLAROID_INGEST_MAX_APPEND_BUFFER_BYTES/);
          return true;
        }
      }, { timeoutMs: 10_000, what: "a call refused for the buffer budget" });
      release.resolve();
      assert.equal((await first).rows, 1n);
      assert.equal((await second).rows, 1n);
      // The budget is back: a call fits again.
      await raw.clientStream("append", [{
        table: "budget",
        producerId: "",
        sequence: 0n,
        rows: { $case: "jsonRows", value: line },
      }]);
    } finally {
      release.resolve();
      raw.close();
    }
  },
});

Deno.test({
  name: "append cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true });
  },
});
