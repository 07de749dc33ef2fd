/**
 * S3StateStore against real S3-protocol servers (no mocks):
 * - s3rver 3.7.1, in-process, one per test. It does NOT enforce conditional writes
 *   (`If-None-Match: *` is ignored), so on it the store relies on its racy read-before-write
 *   check; the conformance suite and everything else runs there.
 * - moto_server (Python), when installed: it enforces `If-None-Match: *` like AWS S3, so the
 *   race of two writers and the abort of a failed multipart upload are checked there.
 */

import assert from "node:assert/strict";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  AlreadyExistsError,
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
  UnavailableError,
} from "../errors.ts";
import { storeConformance } from "./conformance.ts";
import { S3StateStore, type S3StateStoreOptions } from "./s3.ts";
import { hasMotoServer, type S3TestServer, startMotoServer, startS3rver } from "./_s3_server.ts";
import type { ObjectMeta } from "./store.ts";

const MiB = 1024 * 1024;

const META: Omit<ObjectMeta, "key" | "bytes"> = {
  tenant: "acme",
  rows: 1,
  createdAtMs: 1_700_000_000_000,
  schemaHash: "00",
  planHash: "",
  format: "arrow-ipc",
};

function options(server: S3TestServer, more: Partial<S3StateStoreOptions> = {}) {
  return {
    endpoint: server.endpoint,
    bucket: server.bucket,
    region: "us-east-1",
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
    requestTimeoutMs: 10_000,
    ...more,
  };
}

function rawClient(server: S3TestServer): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const EXPECTED_LISTING = [
  ["p/a", 3, true],
  ["p/a-b", 5, false],
  ["p/a.b", 3, true],
  ["p/orphan", 7, false],
];

async function listed(store: S3StateStore, prefix: string) {
  return (await Array.fromAsync(store.list(prefix))).map((o) => [o.key, o.bytes, o.committed]);
}

/** Runs `fn` with a fresh s3rver, a store on it and a raw client; stops all after. */
async function withS3rver(
  fn: (ctx: { server: S3TestServer; store: S3StateStore; raw: S3Client }) => Promise<void>,
  more: Partial<S3StateStoreOptions> = {},
): Promise<void> {
  const server = await startS3rver();
  const raw = rawClient(server);
  try {
    const store = await S3StateStore.open(options(server, more));
    try {
      await fn({ server, store, raw });
    } finally {
      await store.close();
    }
  } finally {
    raw.destroy();
    await server.close();
  }
}

storeConformance("S3StateStore (s3rver)", async () => {
  const server = await startS3rver();
  const raw = rawClient(server);
  const store = await S3StateStore.open(options(server, { prefix: "polaroid/" }));
  return {
    store,
    async putUncommitted(key, body) {
      await raw.send(
        new PutObjectCommand({ Bucket: server.bucket, Key: `polaroid/${key}`, Body: body }),
      );
    },
    async cleanup() {
      raw.destroy();
      await server.close();
    },
  };
});

Deno.test("S3StateStore stores body and record under prefix+key and prefix+key.meta.json", async () => {
  await withS3rver(async ({ server, store, raw }) => {
    await store.put("handles/acme/x.arrow", bytes(10), META);
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: server.bucket }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), [
      "tenant-a/handles/acme/x.arrow",
      "tenant-a/handles/acme/x.arrow.meta.json",
    ]);
    const record = await raw.send(
      new GetObjectCommand({
        Bucket: server.bucket,
        Key: "tenant-a/handles/acme/x.arrow.meta.json",
      }),
    );
    assert.deepEqual(JSON.parse(await record.Body!.transformToString()), {
      ...META,
      key: "handles/acme/x.arrow",
      bytes: 10,
    });
  }, { prefix: "tenant-a/" });
});

Deno.test("S3StateStore.conditionalWritesEnforced() is false on s3rver, which ignores If-None-Match", async () => {
  await withS3rver(async ({ store }) => {
    assert.equal(await store.conditionalWritesEnforced(), false);
    // The probe object is gone and list() never shows it.
    assert.deepEqual(await Array.fromAsync(store.list("")), []);
  });
});

Deno.test("S3StateStore.put() uploads a body above partSizeBytes in parts", async () => {
  await withS3rver(async ({ store }) => {
    const body = bytes(12 * MiB, 3);
    const meta = await store.put("big", body, META);
    assert.equal(meta.bytes, 12 * MiB);
    assert.deepEqual(await store.get("big"), body);
    const listed = await Array.fromAsync(store.list(""));
    assert.deepEqual(listed.map((o) => [o.key, o.bytes, o.committed]), [["big", 12 * MiB, true]]);
  }, { partSizeBytes: 5 * MiB });
});

Deno.test("S3StateStore.put() sends up to partConcurrency parts at once, in their order", async () => {
  for (const partConcurrency of [1, 3]) {
    await withS3rver(async ({ store }) => {
      // 6 parts, the last one short, of random bytes: a misplaced part shows.
      const body = new Uint8Array(26 * MiB + 4321);
      for (let at = 0; at < body.byteLength; at += 65_536) {
        crypto.getRandomValues(body.subarray(at, Math.min(at + 65_536, body.byteLength)));
      }
      await store.put("parallel", body, META);
      assert.deepEqual(await store.get("parallel"), body, `partConcurrency ${partConcurrency}`);
    }, { partSizeBytes: 5 * MiB, partConcurrency });
  }
});

Deno.test("S3StateStore.put() streams a chunked body: parts go up before the body is read whole", async () => {
  await withS3rver(async ({ server, store }) => {
    const body = bytes(12 * MiB + 12_345, 5);
    let partsOnServerWhenReadingTail = -1;
    async function* chunks() {
      const size = MiB + 7; // not a divisor of the part size
      for (let offset = 0; offset < body.byteLength; offset += size) {
        if (offset >= 11 * MiB && partsOnServerWhenReadingTail < 0) {
          partsOnServerWhenReadingTail = await filesOfSize(server.directory!, 5 * MiB);
        }
        yield body.slice(offset, offset + size);
      }
    }
    const meta = await store.put("streamed", chunks(), META);
    assert.equal(meta.bytes, body.byteLength);
    assert.ok(partsOnServerWhenReadingTail >= 1, `parts uploaded: ${partsOnServerWhenReadingTail}`);
    assert.deepEqual(await store.get("streamed"), body);
    // One part at a time: the first is on the server before the tail is read (with more, all
    // three parts of this body may still be on their way then).
  }, { partSizeBytes: 5 * MiB, partConcurrency: 1 });
});

Deno.test("S3StateStore: a body without a record is listed uncommitted and get() is NotFound", async () => {
  await withS3rver(async ({ server, store, raw }) => {
    await raw.send(
      new PutObjectCommand({ Bucket: server.bucket, Key: "p/orphan", Body: bytes(7) }),
    );
    await assert.rejects(store.get("p/orphan"), NotFoundError);
    assert.equal(await store.head("p/orphan"), undefined);
    // Keys that s3rver lists out of S3's order ("p/a-b" before "p/a"), and bodies whose
    // records are not next to them: "p/a" < "p/a-b" < "p/a.b" < "p/a.b.meta.json" < "p/a.meta.json".
    for (const key of ["p/a", "p/a.b"]) await store.put(key, bytes(3), META);
    await raw.send(new PutObjectCommand({ Bucket: server.bucket, Key: "p/a-b", Body: bytes(5) }));
    assert.deepEqual(await listed(store, "p/"), EXPECTED_LISTING);
    assert.deepEqual((await Array.fromAsync(store.list("p/a."))).map((o) => o.key), ["p/a.b"]);
  });
});

Deno.test("S3StateStore.get() refuses a body whose length differs from its record", async () => {
  await withS3rver(async ({ server, store, raw }) => {
    await store.put("k", bytes(10), META);
    await raw.send(new PutObjectCommand({ Bucket: server.bucket, Key: "k", Body: bytes(11) }));
    await assert.rejects(store.get("k"), (error: Error) => {
      assert.ok(error instanceof NotFoundError);
      assert.match(error.message, /k is damaged: its body has 11 bytes where its metadata says 10/);
      return true;
    });
  });
});

Deno.test("S3StateStore on a stopped server is UnavailableError within the timeout", async () => {
  const server = await startS3rver();
  const store = await S3StateStore.open(options(server, { requestTimeoutMs: 3_000 }));
  try {
    await store.put("k", bytes(4), META);
    await server.close();
    for (const call of [() => store.get("k"), () => store.put("j", bytes(4), META)]) {
      const started = Date.now();
      await assert.rejects(call(), (error: Error) => {
        assert.ok(error instanceof UnavailableError, String(error));
        assert.match(error.message, new RegExp(`bucket 'polaroid-test' at ${server.endpoint}`));
        return true;
      });
      assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
    }
    await assert.rejects(Array.fromAsync(store.list("")), UnavailableError);
  } finally {
    await store.close();
    await server.close();
  }
});

Deno.test("S3StateStore.open() on a server that never answers is UnavailableError after requestTimeoutMs", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const endpoint = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
    const started = Date.now();
    await assert.rejects(
      S3StateStore.open({
        endpoint,
        bucket: "polaroid-test",
        region: "us-east-1",
        accessKeyId: "a",
        secretAccessKey: "s",
        forcePathStyle: true,
        requestTimeoutMs: 500,
      }),
      (error: Error) => {
        assert.ok(error instanceof UnavailableError, String(error));
        assert.match(error.message, /must answer within 500 ms/);
        return true;
      },
    );
    const took = Date.now() - started;
    assert.ok(took >= 450 && took < 3_000, `took ${took} ms`);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of held) conn.close();
  }
});

Deno.test("S3StateStore.open() names a missing bucket and its endpoint", async () => {
  const server = await startS3rver();
  try {
    await assert.rejects(
      S3StateStore.open(options(server, { bucket: "no-such-bucket" })),
      (error: Error) => {
        assert.ok(error instanceof FailedPreconditionError, String(error));
        assert.match(
          error.message,
          /bucket 'no-such-bucket' at http:\/\/127\.0\.0\.1:\d+ must exist/,
        );
        assert.match(error.message, /NoSuchBucket/);
        return true;
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("S3StateStore.open() with refused credentials is PermissionDeniedError naming the bucket", async () => {
  const server = await startS3rver();
  try {
    await assert.rejects(
      S3StateStore.open(options(server, { accessKeyId: "WRONG", secretAccessKey: "WRONG" })),
      (error: Error) => {
        assert.ok(error instanceof PermissionDeniedError, String(error));
        assert.match(error.message, /bucket 'polaroid-test'.*HTTP 403/);
        return true;
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("S3StateStore.open() rejects a part size below 5 MiB and a bad partConcurrency", async () => {
  const open = (more: Partial<S3StateStoreOptions>) =>
    S3StateStore.open({
      bucket: "b",
      region: "r",
      accessKeyId: "a",
      secretAccessKey: "s",
      ...more,
    });
  await assert.rejects(
    open({ partSizeBytes: MiB }),
    /Cannot create S3StateStore as 'partSizeBytes' must be an integer >= 5242880: current value is 1048576/,
  );
  for (const partConcurrency of [0, 17, 1.5]) {
    await assert.rejects(open({ partConcurrency }), /'partConcurrency' must be from 1 to 16/);
  }
});

Deno.test({
  name: "S3StateStore on moto_server, which enforces If-None-Match like AWS S3",
  ignore: !(await hasMotoServer()),
  async fn(t) {
    const server = await startMotoServer();
    const raw = rawClient(server);
    const store = await S3StateStore.open(options(server, { partSizeBytes: 5 * MiB }));
    try {
      await t.step("conditionalWritesEnforced() is true", async () => {
        assert.equal(await store.conditionalWritesEnforced(), true);
      });
      await t.step("of two racing put()s of one key exactly one commits", async () => {
        const results = await Promise.allSettled([
          store.put("race", bytes(8, 1), META),
          store.put("race", bytes(8, 1), META),
        ]);
        assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
        const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        assert.ok(failed.reason instanceof AlreadyExistsError, String(failed.reason));
        assert.deepEqual(await store.get("race"), bytes(8, 1));
      });
      await t.step("list() reads pages of 2 keys", async () => {
        const paged = await S3StateStore.open(
          options(server, { prefix: "paged/", listPageSize: 2 }),
        );
        try {
          for (const key of ["p/a", "p/a.b"]) await paged.put(key, bytes(3), META);
          for (const [key, n] of [["p/a-b", 5], ["p/orphan", 7]] as const) {
            await raw.send(
              new PutObjectCommand({ Bucket: server.bucket, Key: `paged/${key}`, Body: bytes(n) }),
            );
          }
          assert.deepEqual(await listed(paged, "p/"), EXPECTED_LISTING);
          assert.deepEqual(await listed(paged, "p/a."), [["p/a.b", 3, true]]);
        } finally {
          await paged.close();
        }
      });
      await t.step("a 12 MiB body goes up in 3 parts of 5 MiB", async () => {
        const body = bytes(12 * MiB, 3);
        await store.put("big", body, META);
        // A multipart ETag ends with the number of parts.
        const head = await raw.send(new HeadObjectCommand({ Bucket: server.bucket, Key: "big" }));
        assert.match(head.ETag ?? "", /-3"$/);
        assert.deepEqual(await store.get("big"), body);
      });
      await t.step("a body that fails mid-stream aborts its multipart upload", async () => {
        async function* failing() {
          yield bytes(6 * MiB);
          yield bytes(6 * MiB);
          throw new Error("producer died");
        }
        await assert.rejects(store.put("broken", failing(), META), /producer died/);
        const uploads = await raw.send(new ListMultipartUploadsCommand({ Bucket: server.bucket }));
        assert.deepEqual(uploads.Uploads ?? [], []);
        assert.deepEqual(await Array.fromAsync(store.list("broken")), []);
      });
    } finally {
      await store.close();
      raw.destroy();
      await server.close();
    }
  },
});

/** How many files of exactly `size` bytes are under `dir`. */
async function filesOfSize(dir: string, size: number): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) count += await filesOfSize(path, size);
    else if (entry.isFile && (await Deno.stat(path)).size === size) count++;
  }
  return count;
}
