/**
 * S3FileWriter against real S3-protocol servers (s3rver in-process; moto_server, when
 * installed, which lists and aborts multipart uploads as AWS S3 does): a file goes up whole
 * (one PUT, or parts completed at the end), replaces an object of its key, and an upload
 * stopped midway leaves no object and no pending upload.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CancelledError } from "../errors.ts";
import { waitFor } from "../../scripts/_wait.ts";
import { S3FileWriter } from "./s3_file.ts";
import { hasMotoServer, type S3TestServer, startMotoServer, startS3rver } from "./_s3_server.ts";

const MiB = 1024 * 1024;

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function withServer(
  fn: (
    ctx: { server: S3TestServer; writer: S3FileWriter; raw: S3Client; dir: string },
  ) => Promise<void>,
  start: () => Promise<S3TestServer> = startS3rver,
): Promise<void> {
  const server = await start();
  const dir = await Deno.makeTempDir({ prefix: "polaroid-s3-file-" });
  const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const writer = new S3FileWriter({
    endpoint: server.endpoint,
    bucket: server.bucket,
    region: "us-east-1",
    forcePathStyle: true,
    partSizeBytes: 5 * MiB,
    ...credentials,
  });
  const raw = new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
  });
  try {
    await fn({ server, writer, raw, dir });
  } finally {
    writer.close();
    raw.destroy();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function object(raw: S3Client, server: S3TestServer, key: string): Promise<Uint8Array> {
  const out = await raw.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
  return await out.Body!.transformToByteArray();
}

Deno.test({
  name: "S3FileWriter uploads a file whole, in one PUT or in parts, replacing the key's object",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withServer(async ({ server, writer, raw, dir }) => {
      const small = bytes(1000, 1);
      const large = bytes(12 * MiB + 17, 2);
      await Deno.writeFile(join(dir, "small"), small);
      await Deno.writeFile(join(dir, "large"), large);
      const signal = new AbortController().signal;
      await writer.putFile("out/x.bin", join(dir, "small"), small.byteLength, signal);
      assert.deepEqual(await object(raw, server, "out/x.bin"), small);
      // Three parts of 5 MiB at most; the object replaces the first.
      await writer.putFile("out/x.bin", join(dir, "large"), large.byteLength, signal);
      assert.ok(Buffer.from(await object(raw, server, "out/x.bin")).equals(large));
      assert.deepEqual(partFiles(server.directory!), [], "no upload is left pending");
    });
  },
});

/** Paths of the part files s3rver keeps for uploads in progress. */
function partFiles(directory: string): string[] {
  const found: string[] = [];
  const pending = [directory];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) pending.push(join(dir, entry.name));
      else if (/^\d+\.md5$/.test(entry.name)) found.push(join(dir, entry.name));
    }
  }
  return found;
}

Deno.test({
  name: "S3FileWriter stopped midway leaves no object (s3rver)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withServer(async ({ server, writer, raw, dir }) => {
      const large = bytes(40 * MiB, 3);
      await Deno.writeFile(join(dir, "large"), large);
      const controller = new AbortController();
      const writing = writer.putFile(
        "out/y.bin",
        join(dir, "large"),
        large.byteLength,
        controller.signal,
      );
      // Stop once a part is in.
      await waitFor(() => partFiles(server.directory!).length > 0, {
        timeoutMs: 30_000,
        intervalMs: 5,
        what: "the first part",
      });
      controller.abort(new CancelledError("stopped"));
      await assert.rejects(writing, CancelledError);
      await assert.rejects(object(raw, server, "out/y.bin"), /NoSuchKey|not exist/i);
      // An aborted signal starts nothing.
      await assert.rejects(
        writer.putFile("out/z.bin", join(dir, "large"), large.byteLength, controller.signal),
        CancelledError,
      );
    });
  },
});

Deno.test({
  name: "S3FileWriter stopped midway aborts its upload (moto_server, which lists uploads)",
  ignore: !(await hasMotoServer()),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withServer(async ({ server, writer, raw, dir }) => {
      const large = bytes(40 * MiB, 4);
      await Deno.writeFile(join(dir, "large"), large);
      const controller = new AbortController();
      const writing = writer.putFile(
        "out/y.bin",
        join(dir, "large"),
        large.byteLength,
        controller.signal,
      );
      const Bucket = server.bucket;
      await waitFor(async () => {
        const { Uploads = [] } = await raw.send(new ListMultipartUploadsCommand({ Bucket }));
        const upload = Uploads[0];
        if (!upload) return false;
        const input = { Bucket, Key: upload.Key!, UploadId: upload.UploadId! };
        const { Parts = [] } = await raw.send(new ListPartsCommand(input));
        return Parts.length > 0;
      }, { timeoutMs: 30_000, intervalMs: 5, what: "the first part" });
      controller.abort(new CancelledError("stopped"));
      await assert.rejects(writing, CancelledError);
      const { Uploads = [] } = await raw.send(new ListMultipartUploadsCommand({ Bucket }));
      assert.deepEqual(Uploads, [], "the upload was aborted");
      await assert.rejects(object(raw, server, "out/y.bin"), /NoSuchKey|not exist/i);
    }, startMotoServer);
  },
});
