import assert from "node:assert/strict";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import { DataType, type Schema } from "./datatypes.ts";
import { SchemaCache } from "./schema_cache.ts";

const plan = (): Plan => ({ node: undefined });
const schema: Schema = { a: DataType.Int64 };

Deno.test("SchemaCache.resolve() fetches once per plan and reuses the result", async () => {
  const cache = new SchemaCache();
  const p = plan();
  let calls = 0;
  const fetch = () => {
    calls++;
    return Promise.resolve(schema);
  };
  const [a, b] = await Promise.all([cache.resolve(p, fetch), cache.resolve(p, fetch)]);
  assert.equal(a, b);
  assert.equal(await cache.resolve(p, fetch), schema);
  assert.equal(calls, 1);
  assert.equal(cache.known(p), schema);
  assert.equal(cache.known(plan()), undefined);
});

Deno.test("SchemaCache.resolve() forgets a failed fetch, for it and the plans sharing it", async () => {
  const cache = new SchemaCache();
  const p = plan();
  const q = plan();
  let fail = true;
  const fetch = () => fail ? Promise.reject(new Error("down")) : Promise.resolve(schema);
  const pending = cache.resolve(p, fetch);
  cache.share(p, q);
  await assert.rejects(pending, /down/);
  await assert.rejects(cache.resolve(q, fetch), /down/);
  fail = false;
  assert.equal(await cache.resolve(p, fetch), schema);
  assert.equal(await cache.resolve(q, fetch), schema);
});

Deno.test("SchemaCache.seed() and share() make a schema known without a fetch", async () => {
  const cache = new SchemaCache();
  const p = plan();
  const q = plan();
  cache.seed(p, schema);
  cache.share(p, q);
  cache.share(plan(), p); // a plan without a schema shares nothing
  assert.equal(cache.known(q), schema);
  assert.equal(await cache.resolve(q, () => Promise.reject(new Error("no call"))), schema);
});
