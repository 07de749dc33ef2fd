import assert from "node:assert/strict";
import {
  AlreadyExistsError,
  InvalidArgumentError,
  LimitExceededError,
} from "../../shared/errors.ts";
import type { SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import { MAX_BATCH_ROWS, resolveSpec, SourceRegistry } from "./registry.ts";
import { SOURCE_KINDS } from "./sources/mod.ts";

const KINDS = Object.keys(SOURCE_KINDS).join(", ");
const defaults = { maxBatchRows: 10_000, maxBatchDelayMs: 250, maxBufferBytes: 1024 };

function spec(subject: string, extra: Partial<SourceSpec> = {}): SourceSpec {
  return {
    name: "ticks",
    kind: { $case: "nats", value: { subject, queueGroup: "" } },
    maxBatchRows: 0,
    maxBatchDelayMs: 0,
    maxBufferBytes: 0n,
    table: "",
    overflow: "",
    ...extra,
  };
}

Deno.test("resolveSpec() fills in the defaults and keeps what the spec sets", () => {
  assert.deepEqual(resolveSpec(spec("feeds.ticks"), defaults), {
    ...spec("feeds.ticks"),
    maxBatchRows: 10_000,
    maxBatchDelayMs: 250,
    maxBufferBytes: 1024n,
    table: "ticks",
    overflow: "drop",
  });
  const own = resolveSpec(
    spec("a.*.>", { maxBatchRows: 5, maxBatchDelayMs: 9, maxBufferBytes: 7n }),
    defaults,
  );
  assert.deepEqual([own.maxBatchRows, own.maxBatchDelayMs, own.maxBufferBytes], [5, 9, 7n]);
});

Deno.test("resolveSpec() takes any subject of the tenant's namespace, wildcards first too", () => {
  // The source reads polaroid.ingest.<tenant>.<subject>: no subject it names reaches
  // Polaroid's own traffic or another tenant's.
  for (const subject of [">", "*.jobs.submit", "polaroid.v1.handles.events.>", "$JS.API.>"]) {
    const kind = resolveSpec(spec(subject), defaults).kind;
    assert.equal(kind?.$case === "nats" && kind.value.subject, subject);
  }
});

Deno.test("resolveSpec() refuses bad names, subjects and limits, naming the field", () => {
  const cases: Array<[SourceSpec | undefined, RegExp]> = [
    [undefined, /'spec'/],
    [{ ...spec("x"), name: "-x" }, /'spec\.name'/],
    [{ ...spec("x"), name: "a".repeat(65) }, /'spec\.name'/],
    [
      { ...spec("x"), kind: undefined },
      new RegExp(`'spec\\.kind' must be set \\(one of ${KINDS}\\)`),
    ],
    // A kind this server does not know (a newer client's) is refused by name.
    [
      { ...spec("x"), kind: { $case: "carrierPigeon" } } as never,
      new RegExp(`'spec\\.kind' must be one of ${KINDS}: current value is "carrierPigeon"`),
    ],
    [spec(""), /'spec\.nats\.subject'/],
    [
      { ...spec("x"), kind: { $case: "jetstream", value: { subject: "a b", deliver: "" } } },
      /'spec\.jetstream\.subject'/,
    ],
    [
      { ...spec("x"), kind: { $case: "jetstream", value: { subject: "a", deliver: "last" } } },
      /'spec\.jetstream\.deliver' must be "all" or "new"/,
    ],
    [spec("a b"), /'spec\.nats\.subject'/],
    [spec("a.>.b"), /'spec\.nats\.subject'/],
    [spec("a*"), /'spec\.nats\.subject'/],
    [spec("a.", {}), /'spec\.nats\.subject'/],
    [
      { ...spec("a"), kind: { $case: "nats", value: { subject: "a", queueGroup: "q g" } } },
      /queue_group/,
    ],
    [spec("a", { maxBatchRows: MAX_BATCH_ROWS + 1 }), /'spec\.max_batch_rows'/],
    [spec("a", { maxBatchDelayMs: 3_600_001 }), /'spec\.max_batch_delay_ms'/],
    [spec("a", { maxBufferBytes: 1025n }), /'spec\.max_buffer_bytes' must be at most 1024/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => resolveSpec(bad, defaults), (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("SourceRegistry bounds sources per tenant as well as in all", async () => {
  const registry = new SourceRegistry({
    maxSources: 5,
    maxSourcesPerTenant: 2,
    defaults,
    create: (spec) => Promise.resolve({ spec, close: () => Promise.resolve() } as never),
  });
  await registry.add("acme", { ...spec("a"), name: "one" });
  await registry.add("acme", { ...spec("a"), name: "two" });
  await assert.rejects(
    () => registry.add("acme", { ...spec("a"), name: "three" }),
    (e) =>
      e instanceof LimitExceededError && /POLAROID_INGEST_MAX_SOURCES_PER_TENANT/.test(e.message),
  );
  // Another tenant has its own share, up to the service's bound.
  await registry.add("globex", { ...spec("a"), name: "one" });
  await registry.add("globex", { ...spec("a"), name: "two" });
  await registry.add("initech", { ...spec("a"), name: "one" });
  await assert.rejects(
    () => registry.add("initech", { ...spec("a"), name: "two" }),
    (e) => e instanceof LimitExceededError && /at most 5 sources/.test(e.message),
  );
});

Deno.test("SourceRegistry: one source writes a table; names starting count as taken", async () => {
  const started = Promise.withResolvers<void>();
  const registry = new SourceRegistry({
    maxSources: 5,
    defaults,
    create: async (spec) => {
      await started.promise;
      return { spec, close: () => Promise.resolve() } as never;
    },
  });
  const first = registry.add("acme", { ...spec("a"), name: "one", table: "ticks" });
  // While "one" starts, its name and its table are taken.
  await assert.rejects(registry.add("acme", { ...spec("a"), name: "one" }), AlreadyExistsError);
  await assert.rejects(
    registry.add("acme", { ...spec("a"), name: "two", table: "ticks" }),
    /'spec\.table' must not be written by another source/,
  );
  started.resolve();
  await first;
  // Another tenant's table of that name is its own.
  await registry.add("globex", { ...spec("a"), name: "two", table: "ticks" });
  await registry.remove("acme", "one");
  await registry.add("acme", { ...spec("a"), name: "two", table: "ticks" });
});

Deno.test("resolveSpec() refuses the overflow a kind cannot honour, naming the field", () => {
  assert.throws(
    () => resolveSpec(spec("a", { overflow: "block" }), defaults),
    /'spec\.overflow' must be "drop" for a nats source/,
  );
  assert.throws(() => resolveSpec(spec("a", { overflow: "later" }), defaults), /'spec\.overflow'/);
  assert.throws(() => resolveSpec(spec("a", { table: "Bad!" }), defaults), /'spec\.table'/);
  const huge = { maxRows: 0n, maxBytes: 2n ** 60n, maxAgeSeconds: 0n };
  assert.throws(
    () => resolveSpec(spec("a", { retention: huge }), defaults),
    /'spec\.retention\.max_bytes'/,
  );
});
