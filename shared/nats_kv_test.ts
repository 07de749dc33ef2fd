import assert from "node:assert/strict";
import { type KV, Kvm } from "@nats-io/kv";
import { startNatsServer } from "../tests/_nats_server.ts";
import { connectNats } from "./nats.ts";
import { createOrOpenKv } from "./nats_kv.ts";

Deno.test("processes creating one KV bucket at the same moment all get it", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await using server = await startNatsServer({ jetStream: true });
  const connections = await Promise.all(
    [0, 1, 2, 3].map((i) => connectNats(server.url, { name: `kv-race-${i}` })),
  );
  try {
    for (let round = 0; round < 5; round++) {
      const bucket = `race_${round}`;
      const buckets = await Promise.all(
        connections.map((nats) => createOrOpenKv(new Kvm(nats), bucket, { history: 1 })),
      );
      await buckets[0]!.put("k", "v");
      for (const kv of buckets) assert.equal((await kv.get("k"))?.string(), "v");
    }
  } finally {
    for (const nats of connections) await nats.close();
  }
});

Deno.test("the process that loses the race opens the bucket the winner made", async () => {
  // The race is JetStream's refusal of a second stream add in the same instant, which a real
  // server gives only by chance (seen under load); this stand-in for Kvm gives it on demand.
  const opened: string[] = [];
  let creates = 0;
  const kvm = {
    create: () => {
      creates++;
      return Promise.reject(new Error("subjects overlap with an existing stream"));
    },
    open: (bucket: string) => {
      opened.push(bucket);
      return Promise.resolve({ bucket } as unknown as KV);
    },
  } as unknown as Kvm;
  const kv = await createOrOpenKv(kvm, "b", {});
  assert.equal((kv as unknown as { bucket: string }).bucket, "b");
  assert.deepEqual([creates, opened], [1, ["b"]]);
  // Any other refusal is not a race: it is thrown.
  const refusing = {
    create: () => Promise.reject(new Error("insufficient resources")),
    open: () => Promise.reject(new Error("unreachable")),
  } as unknown as Kvm;
  await assert.rejects(createOrOpenKv(refusing, "b", {}), /insufficient resources/);
});
