/**
 * Hostile request bodies against every method of every service of a real cluster: random
 * bytes and mutations of valid requests (plans among them: flipped bits, cut bodies, odd
 * integers written in), sent raw over gRPC. Each must be answered with a status a client can
 * act on — never INTERNAL or UNKNOWN, which would mean a handler met input it did not check —
 * and no service may die.
 */

import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { col, lit } from "../sdk/mod.ts";
import { scanHandlePlan } from "../sdk/plan/plan.ts";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  ExplainRequest,
  SchemaRequest,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { IngestServiceService } from "../shared/gen/polaroid/v1/ingest.ts";
import { JobServiceService, SubmitJobRequest } from "../shared/gen/polaroid/v1/jobs.ts";
import { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import type { AnyMethod } from "../shared/grpc/types.ts";
import { connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { uniform } from "./_random.ts";

const cluster = await testCluster({ notice: () => {} });
const seed = Number(Deno.env.get("REQUEST_FUZZ_SEED") ?? 1 + Math.floor(Math.random() * 1e9));

/** Answers a client can act on; INTERNAL and UNKNOWN are not among them. */
const ACCEPTABLE = new Set<number>([
  grpc.status.OK,
  grpc.status.CANCELLED,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.ALREADY_EXISTS,
  grpc.status.PERMISSION_DENIED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.OUT_OF_RANGE,
  grpc.status.UNIMPLEMENTED,
  grpc.status.DEADLINE_EXCEEDED,
]);

/** Sends `body` raw to `method`; resolves with the status code and details. */
function send(
  client: grpc.Client,
  method: AnyMethod,
  body: Uint8Array,
): Promise<{ code: number; details: string }> {
  const serialize = (b: Uint8Array) => Buffer.from(b);
  const deadline = Date.now() + 20_000;
  return new Promise((resolve) => {
    if (!method.responseStream) {
      client.makeUnaryRequest(
        method.path,
        serialize,
        (b: Buffer) => b,
        body,
        { deadline },
        (e) => resolve({ code: e?.code ?? 0, details: e?.details ?? "" }),
      );
      return;
    }
    const call = client.makeServerStreamRequest(method.path, serialize, (b: Buffer) => b, body, {
      deadline,
    });
    let messages = 0;
    call.on("data", () => {
      // A watch or a long stream: a few messages show it works; the rest is not needed.
      if (++messages === 3) call.cancel();
    });
    call.on(
      "error",
      (e: grpc.ServiceError) => resolve({ code: messages >= 3 ? 0 : e.code, details: e.details }),
    );
    call.on("end", () => resolve({ code: 0, details: "" }));
  });
}

/** A body derived from `valid`: cut, bits flipped, odd integers written in, or random. */
function mutate(valid: Uint8Array, u: () => number): Uint8Array {
  const pick = u();
  if (pick < 0.1 || valid.length === 0) {
    return Uint8Array.from({ length: Math.floor(u() * 96) }, () => Math.floor(u() * 256));
  }
  const out = Uint8Array.from(valid);
  if (pick < 0.3) return out.subarray(0, Math.floor(u() * out.length));
  const edits = 1 + Math.floor(u() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(u() * out.length);
    if (u() < 0.5) out[at]! ^= 1 << Math.floor(u() * 8);
    else {
      // A varint of an odd value: huge, negative (10 bytes), zero.
      const odd = [[0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x08], [0x00]];
      const bytes = odd[Math.floor(u() * odd.length)]!;
      out.set(bytes.slice(0, out.length - at), at);
    }
  }
  return out;
}

Deno.test({
  name: "mutated and random request bodies never get INTERNAL, and no service dies",
  ...INTEGRATION,
  async fn() {
    console.log(`request fuzz seed ${seed} (replay: REQUEST_FUZZ_SEED=${seed})`);
    const u = uniform(seed);
    await using sdk = await connect({ endpoint: cluster.endpoints.compute });
    const df = await sdk.fromRecords(
      Array.from({ length: 50 }, (_, i) => ({ k: i % 5, v: i * 1.5, s: `s${i % 3}` })),
    );
    const id = df.id;
    const scan = scanHandlePlan(id);
    const plans: Plan[] = [
      scan,
      df.lazy().filter(col("k").gt(lit(2))).plan,
      df.lazy().groupBy("k").agg(col("v").sum(), col("s").first()).sort("k").plan,
      df.lazy().join(df.lazy(), { on: "k" }).head(10).plan,
      df.lazy().withColumns(col("v").mul(2).alias("w"), col("s").str.toUpperCase()).plan,
      df.lazy().select(col("v").rollingMean({ windowSize: 3 })).plan,
    ];
    const valid: Record<string, Uint8Array[]> = {
      execute: plans.map((plan) =>
        ExecuteRequest.encode(ExecuteRequest.fromPartial({ plan })).finish()
      ),
      collect: plans.map((plan) =>
        CollectRequest.encode(
          CollectRequest.fromPartial({ source: { $case: "plan", value: plan } }),
        )
          .finish()
      ),
      schema: plans.map((plan) =>
        SchemaRequest.encode(SchemaRequest.fromPartial({ source: { $case: "plan", value: plan } }))
          .finish()
      ),
      explain: plans.map((plan) =>
        ExplainRequest.encode(ExplainRequest.fromPartial({ plan })).finish()
      ),
      submitJob: plans.map((plan) =>
        SubmitJobRequest.encode(SubmitJobRequest.fromPartial({ plan, jobId: `j${u()}` })).finish()
      ),
    };
    const handleRequest = new TextEncoder().encode(`\n${String.fromCharCode(id.length)}${id}`);
    const targets: Array<[string, string, Record<string, AnyMethod>]> = [
      ["compute", cluster.endpoints.compute, DataFrameServiceService],
      ["compute", cluster.endpoints.compute, JobServiceService],
      ["compute", cluster.endpoints.compute, HandleServiceService],
      ["handles", cluster.endpoints.handles, HandleServiceService],
      ["ingest", cluster.endpoints.ingest, IngestServiceService],
    ];
    const outcomes = new Map<string, number>();
    const bad: string[] = [];
    let sent = 0;
    for (const [service, endpoint, definition] of targets) {
      const client = new grpc.Client(endpoint, grpc.credentials.createInsecure());
      for (const [name, method] of Object.entries(definition)) {
        if (method.requestStream) continue; // uploads: tests/arrow_fuzz_test.ts
        const seeds = valid[name] ?? [handleRequest, new Uint8Array()];
        const count = valid[name] ? 150 : 40;
        for (let i = 0; i < count; i++) {
          const body = mutate(seeds[Math.floor(u() * seeds.length)]!, u);
          const { code, details } = await send(client, method, body);
          sent++;
          const key = `${grpc.status[code]}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (!ACCEPTABLE.has(code)) {
            bad.push(`${service} ${method.path} → ${grpc.status[code]}: ${details.slice(0, 200)}`);
          }
        }
      }
      client.close();
    }
    console.log(`request fuzz: ${sent} bodies, ${JSON.stringify(Object.fromEntries(outcomes))}`);
    for (const name of ["handles", "compute", "ingest"]) {
      assert.ok(cluster.pids()[name] !== undefined, `${name} is alive`);
    }
    const health = await fetch(`${cluster.endpoints.computeHttp}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} bodies got INTERNAL or UNKNOWN`);
    await df.release();
  },
});

/** An Execute request whose plan selects `n` empty expressions (2 bytes each). */
function emptyExpressions(n: number): Uint8Array {
  const exprs = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) exprs[2 * i] = 18; // Select.exprs, length 0
  const scan = scanHandlePlan("default.aaaaaaaaaaaaaaaaaaaaaaaaaa");
  const input = Plan.encode(scan).finish();
  const select = concat(field(1, input), exprs);
  return field(1, field(3, select)); // ExecuteRequest.plan = Plan.select
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function field(number: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.from([(number << 3) | 2, ...varint(body.length)]), body);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function workerRss(): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${cluster.pids().compute}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

Deno.test({
  name: "bodies of millions of empty expressions are refused before they are decoded whole",
  ...INTEGRATION,
  async fn() {
    const client = new grpc.Client(cluster.endpoints.compute, grpc.credentials.createInsecure());
    const MB = 1024 * 1024;
    try {
      for (
        const [label, n, code, pattern] of [
          // 60 MB: over POLAROID_MAX_REQUEST_BYTES, refused on its length.
          ["60 MB", 30_000_000, grpc.status.RESOURCE_EXHAUSTED, /POLAROID_MAX_REQUEST_BYTES/],
          // 15 MB: under it, refused once decoding has read POLAROID_MAX_REQUEST_FIELDS fields.
          ["15 MB", 7_500_000, grpc.status.RESOURCE_EXHAUSTED, /POLAROID_MAX_REQUEST_FIELDS/],
        ] as const
      ) {
        const body = emptyExpressions(n);
        const before = await workerRss();
        // Health answers while the worker refuses the body.
        let slowestHealthMs = 0;
        let answering = true;
        const probe = (async () => {
          while (answering) {
            const started = performance.now();
            const r = await fetch(`${cluster.endpoints.computeHttp}/healthz`);
            await r.body?.cancel();
            slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
            await new Promise((r) => setTimeout(r, 20));
          }
        })();
        const started = performance.now();
        const { code: got, details } = await send(client, DataFrameServiceService.execute, body);
        const ms = performance.now() - started;
        answering = false;
        await probe;
        const grew = (await workerRss()) - before;
        console.log(
          `${label} of empty expressions: ${grpc.status[got]} after ${
            ms.toFixed(0)
          } ms, worker RSS +${(grew / MB).toFixed(0)} MiB, slowest /healthz ${
            slowestHealthMs.toFixed(0)
          } ms`,
        );
        assert.equal(got, code, details);
        assert.match(details, pattern);
        assert.ok(grew < 400 * MB, `the worker grew ${grew} bytes`);
      }
    } finally {
      client.close();
    }
  },
});
