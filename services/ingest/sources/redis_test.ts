import assert from "node:assert/strict";
import { compareIds, parseRedisUrl } from "./redis.ts";

Deno.test("compareIds() orders stream ids by time, then sequence, beyond 2^53", () => {
  assert.equal(compareIds("1-0", "1-0"), 0);
  assert.equal(compareIds("1-2", "1-10"), -1);
  assert.equal(compareIds("10-0", "9-99"), 1);
  assert.equal(compareIds("0-0", "1700000000000-0"), -1);
  assert.equal(compareIds("9007199254740993-0", "9007199254740992-0"), 1);
});

Deno.test("parseRedisUrl() takes redis:// and rediss:// with a database, refuses the rest", () => {
  assert.deepEqual(
    (({ tls, port, db }) => ({ tls, port, db }))(parseRedisUrl("rediss://cache.example.com/3")),
    { tls: true, port: 6379, db: 3 },
  );
  assert.equal(parseRedisUrl("redis://127.0.0.1:7000").port, 7000);
  for (
    const [url, why] of [
      ["not a url", /redis:\/\/ or rediss:\/\//],
      ["https://x", /redis:\/\/ or rediss:\/\//],
      ["redis://:pw@x", /carry no credentials/],
      ["redis://x/16", /database 0 to 15/],
      ["redis://x/?a=1", /no query/],
    ] as const
  ) {
    assert.throws(() => parseRedisUrl(url), why);
  }
});
