import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { MemoryStateStore } from "../../shared/state_store/memory.ts";
import { type Commit, LiveOutput } from "./live_output.ts";
import { LiveWriter } from "./live_writer.ts";

Deno.test("LiveOutput reports each commit with its rows and its lag from the first message, after the acknowledgement", async () => {
  const store = new MemoryStateStore();
  const writer = await LiveWriter.open({ store, tenant: "acme", table: "ticks" });
  const events: (Commit | string)[] = [];
  const { promise: committed, resolve } = Promise.withResolvers<void>();
  const output = new LiveOutput({
    writer,
    store,
    tenant: "acme",
    table: "ticks",
    source: "feed",
    maxPendingBytes: 1024,
    marks: { acknowledge: (marks) => void events.push(`ack ${marks.join(",")}`) },
    onError: (error) => events.push(`error ${error.message}`),
    onCommitted: (commit) => {
      events.push(commit);
      resolve();
    },
  });
  // The batch's first message arrived 200 ms ago.
  output.closed({
    frame: pl.DataFrame({ px: [1, 2, 3] }),
    marks: [7, 8, 9],
    bytes: 30,
    arrivedAt: performance.now() - 200,
  });
  await committed;
  assert.equal(events.length, 2, JSON.stringify(events));
  assert.equal(events[0], "ack 7,8,9");
  const commit = events[1] as Commit;
  assert.equal(commit.rows, 3);
  assert.equal(commit.bytes, 30);
  assert.ok(commit.lagSeconds! >= 0.2 && commit.lagSeconds! < 5, String(commit.lagSeconds));
  assert.equal(writer.stats.rows, 3);
  await store.close();
});
