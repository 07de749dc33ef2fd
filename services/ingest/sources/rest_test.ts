import assert from "node:assert/strict";
import { loadIngestConfig } from "../../../shared/config.ts";
import { compareWatermarks, nextLink, REST_SOURCE, retryAfterMs } from "./rest.ts";

Deno.test("nextLink() finds rel=next among several links (RFC 8288), relative or absolute", () => {
  const base = "https://api.example.com/v1/items?page=2";
  assert.equal(
    nextLink(
      '<https://api.example.com/v1/items?page=3>; rel="next", <...?page=1>; rel="prev"',
      base,
    ),
    "https://api.example.com/v1/items?page=3",
  );
  assert.equal(
    nextLink("</v1/items?page=3>; rel=next", base),
    "https://api.example.com/v1/items?page=3",
  );
  assert.equal(nextLink('<a>; rel="prev first"', base), undefined);
  assert.equal(nextLink('<b>; title="x"; rel="last next"', base), "https://api.example.com/v1/b");
  assert.equal(nextLink(null, base), undefined);
});

Deno.test("retryAfterMs() reads seconds or an HTTP date, bounded", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
  assert.equal(retryAfterMs("999999"), 300_000);
  assert.equal(retryAfterMs("soon"), undefined);
  assert.equal(retryAfterMs(null), undefined);
});

Deno.test("compareWatermarks() compares integers exactly, other numbers by value, text as text", () => {
  assert.equal(compareWatermarks("9007199254740993", "9007199254740992"), 1);
  assert.equal(compareWatermarks("10", "9"), 1);
  assert.equal(compareWatermarks("1.5", "1.25"), 1);
  assert.equal(compareWatermarks("2026-12-07T10:00:00Z", "2026-12-07T09:59:59Z"), 1);
  assert.equal(compareWatermarks("a", "a"), 0);
});

Deno.test("REST specs: the errors name the field", () => {
  const spec = {
    url: "https://api.example.com/x",
    pagination: "",
    records: "",
    pageSize: 0,
    offsetParam: "",
    limitParam: "",
    pageParam: "",
    cursorParam: "",
    cursorPath: "",
    maxPages: 0,
    requestsPerSecond: 0,
    concurrency: 0,
    pollIntervalMs: 0,
    watermarkField: "",
    watermarkParam: "",
    credential: "",
    schema: {},
  };
  const resolved = REST_SOURCE.resolve(spec);
  assert.equal(resolved.pagination, "none");
  assert.equal(resolved.requestsPerSecond, 10);
  for (
    const [bad, field] of [
      [{ url: "ftp://x" }, "url"],
      [{ url: "https://u:p@x" }, "url"],
      [{ pagination: "scroll" }, "pagination"],
      [{ pagination: "cursor" }, "cursor_path"],
      [{ records: "a[1]" }, "records"],
      [{ concurrency: 4 }, "concurrency"],
      [{ pagination: "page", concurrency: 9 }, "concurrency"],
      [{ requestsPerSecond: -1 }, "requests_per_second"],
      [{ watermarkField: "ts" }, "watermark_field"],
      [{ schema: { px: "Decimal" } }, "schema"],
      [{ offsetParam: "a b" }, "offset_param"],
    ] as const
  ) {
    assert.throws(
      () => REST_SOURCE.resolve({ ...spec, ...bad } as typeof spec),
      new RegExp(`'spec\\.rest\\.${field}`),
      JSON.stringify(bad),
    );
  }
});

Deno.test("POLAROID_INGEST_CREDENTIALS_FILE: read by tenant and name; a bad file stops the start", async () => {
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(
      file,
      JSON.stringify({ acme: { ex: { headers: { authorization: "k" } } } }),
    );
    assert.deepEqual(
      loadIngestConfig({ POLAROID_INGEST_CREDENTIALS_FILE: file }).credentials.get("acme/ex"),
      { headers: { authorization: "k" } },
    );
    await Deno.writeTextFile(file, '{"acme": {"ex": {"headers": {"authorization": 5}}}} secret');
    assert.throws(
      () => loadIngestConfig({ POLAROID_INGEST_CREDENTIALS_FILE: file }),
      (e: Error) => /POLAROID_INGEST_CREDENTIALS_FILE/.test(e.message) && !/secret/.test(e.message),
    );
    assert.throws(
      () => loadIngestConfig({ POLAROID_INGEST_CREDENTIALS_FILE: `${file}.missing` }),
      /cannot be read/,
    );
  } finally {
    await Deno.remove(file);
  }
});
