/**
 * A source that calls a server-streaming gRPC method of another service, described by the
 * .proto text in its spec (decoded dynamically with protobufjs): each response message is a
 * row (64-bit integers exact; nested messages as structs). The connection is shielded from
 * the GOAWAY sequences that abort a Deno process (ADR 0005), over TLS with the credential's
 * CA and client certificate when asked, with the credential's headers as metadata. When the
 * stream ends or breaks, it is called again after a backoff, on the next of the targets'
 * addresses; what the server sent meanwhile is lost (a gap, counted).
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import protobuf from "protobufjs";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { tlsCredentials } from "../../../shared/grpc/client.ts";
import { shieldedCredentials } from "../../../shared/grpc/shielded_credentials.ts";
import { checkOutbound } from "../../../shared/outbound.ts";
import { SourceCore } from "../source_core.ts";
import { backoffMs, pause, within } from "./backoff.ts";
import type { Source } from "../source.ts";
import { jsonText } from "../records.ts";
import { hostPort, invalidSpec, type SourceContext, type SourceKind } from "./kind.ts";

const MAX_TARGETS = 16;
const MAX_PROTO_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 64 * 1024;
/** The largest response message. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const STABLE_MS = 10_000;

/** gRPC stream sources. */
export const GRPC_SOURCE: SourceKind<"grpc"> = {
  resolve(value) {
    if (value.targets.length === 0 || value.targets.length > MAX_TARGETS) {
      throw invalidSpec(
        "spec.grpc.targets",
        `list 1 to ${MAX_TARGETS} targets`,
        String(value.targets.length),
      );
    }
    value.targets.forEach((target, i) => hostPort(target, `spec.grpc.targets[${i}]`));
    if (new TextEncoder().encode(value.proto).byteLength > MAX_PROTO_BYTES) {
      throw invalidSpec("spec.grpc.proto", `have at most ${MAX_PROTO_BYTES} bytes`, "more");
    }
    if (value.requestJson.length > MAX_REQUEST_BYTES) {
      throw invalidSpec(
        "spec.grpc.request_json",
        `have at most ${MAX_REQUEST_BYTES} characters`,
        "more",
      );
    }
    // Parsed here so that a bad file, method or request is the caller's error, by field.
    describe(value.proto, value.method, value.requestJson);
    if (value.credential !== "" && !/^[A-Za-z0-9_-]{1,64}$/.test(value.credential)) {
      throw invalidSpec(
        "spec.grpc.credential",
        "name a credential ([A-Za-z0-9_-]{1,64})",
        JSON.stringify(value.credential.slice(0, 80)),
      );
    }
    return value;
  },
  canPause: true,
  create: async (spec, context) => {
    if (spec.kind?.$case === "grpc") {
      const { targets, credential } = spec.kind.value;
      for (const target of targets) {
        await checkOutbound(hostPort(target, "spec.grpc.targets"), context.outbound);
      }
      if (credential !== "" && !context.credentials?.get(`${context.tenant}/${credential}`)) {
        throw invalidSpec(
          "spec.grpc.credential",
          "name a credential of the tenant in POLAROID_INGEST_CREDENTIALS_FILE",
          JSON.stringify(credential),
        );
      }
    }
    return createGrpcSource(spec, context);
  },
};

/** The method of a .proto text: its path, request bytes and response decoder. */
interface Described {
  path: string;
  request: Buffer;
  decode(bytes: Buffer): string;
}

/** Parses the .proto text and finds the server-streaming method; InvalidArgumentError by field. */
function describe(proto: string, method: string, requestJson: string): Described {
  let root: protobuf.Root;
  try {
    const parsed = protobuf.parse(proto, { keepCase: true });
    if ((parsed.imports ?? []).length > 0 || (parsed.weakImports ?? []).length > 0) {
      throw new Error("imports are not supported: put every message in the one file");
    }
    root = parsed.root;
    root.resolveAll();
  } catch (error) {
    throw invalidSpec(
      "spec.grpc.proto",
      "be a .proto file that parses",
      (error as Error).message.slice(0, 200),
    );
  }
  const match = /^([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(method);
  let service: protobuf.Service | null = null;
  try {
    service = match ? root.lookupService(match[1]!) : null;
  } catch {
    service = null;
  }
  const rpc = service?.methods[match?.[2] ?? ""];
  if (!service || !rpc) {
    throw invalidSpec(
      "spec.grpc.method",
      'name a method of the file as "package.Service/Method"',
      JSON.stringify(method.slice(0, 80)),
    );
  }
  if (!rpc.responseStream || rpc.requestStream) {
    throw invalidSpec(
      "spec.grpc.method",
      "be server-streaming (one request, a stream of responses)",
      JSON.stringify(method),
    );
  }
  rpc.resolve();
  const requestType = rpc.resolvedRequestType!;
  const responseType = rpc.resolvedResponseType!;
  let request: Buffer;
  try {
    const object = requestJson === "" ? {} : JSON.parse(requestJson);
    const error = requestType.verify(object);
    if (error) throw new Error(error);
    request = Buffer.from(requestType.encode(requestType.fromObject(object)).finish());
  } catch (error) {
    throw invalidSpec(
      "spec.grpc.request_json",
      `be a JSON ${requestType.name} message`,
      (error as Error).message.slice(0, 200),
    );
  }
  return {
    path: `/${service.fullName.slice(1)}/${rpc.name}`,
    request,
    decode: (bytes) => {
      const message = responseType.decode(bytes);
      const object = responseType.toObject(message, {
        longs: String,
        enums: String,
        bytes: String,
        defaults: true,
      });
      return jsonText(exactLongs(object, responseType));
    },
  };
}

const LONGS = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

/** The message object with its 64-bit integers (strings from toObject) as bigints. */
function exactLongs(object: Record<string, unknown>, type: protobuf.Type): Record<string, unknown> {
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    const each = (v: unknown): unknown =>
      LONGS.has(field.type) && typeof v === "string"
        ? BigInt(v)
        : field.resolvedType instanceof protobuf.Type && v !== null && typeof v === "object"
        ? exactLongs(v as Record<string, unknown>, field.resolvedType)
        : v;
    object[field.name] = Array.isArray(value) ? value.map(each) : each(value);
  }
  return object;
}

/** A response message: its row, or why it did not decode (and its bytes). */
type Decoded = { row: string } | { bytes: Buffer; error: string };

/** Starts calling the method. The spec must be validated, defaulted and of the `grpc` kind. */
export function createGrpcSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "grpc") {
    throw new TypeError(
      `Cannot create gRPC source as 'spec.kind' must be grpc: current value is ${spec.kind?.$case}`,
    );
  }
  const upstream = spec.kind.value;
  const method = describe(upstream.proto, upstream.method, upstream.requestJson);
  const credential = upstream.credential === ""
    ? undefined
    : context.credentials?.get(`${context.tenant}/${upstream.credential}`);
  const core = new SourceCore(spec, context);
  const stop = new AbortController();
  let call: grpc.ClientReadableStream<Decoded> | undefined;
  let turn = 0;

  /** One call, until its stream ends; whether it delivered a message, and why it ended. */
  const callOnce = async (): Promise<{ opened: boolean; why: string }> => {
    // Every address of every target, in turn.
    const addresses: { address: string; host: string }[] = [];
    for (const target of upstream.targets) {
      const url = hostPort(target, "spec.grpc.targets");
      for (const address of await checkOutbound(url, context.outbound)) {
        addresses.push({
          address: `${address.includes(":") ? `[${address}]` : address}:${url.port}`,
          host: url.hostname,
        });
      }
    }
    const target = addresses[turn++ % addresses.length]!;
    const inner = upstream.tls || credential?.tls
      ? tlsCredentials(credential?.tls ?? {})
      : undefined;
    const client = new grpc.Client(target.address, shieldedCredentials(inner ? { inner } : {}), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_REQUEST_BYTES * 2,
      // The certificate is checked against the name, not the address connected to.
      ...(inner
        ? { "grpc.ssl_target_name_override": target.host, "grpc.default_authority": target.host }
        : {}),
    });
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(credential?.headers ?? {})) {
      metadata.set(key.toLowerCase(), value);
    }
    try {
      return await new Promise((resolve) => {
        let opened = false;
        let paused = false;
        const stream = client.makeServerStreamRequest<Buffer, Decoded>(
          method.path,
          (request) => request,
          (bytes) => {
            try {
              return { row: method.decode(bytes) };
            } catch (error) {
              return { bytes, error: (error as Error).message };
            }
          },
          method.request,
          metadata,
          {},
        );
        call = stream;
        const onAbort = () => stream.cancel();
        stop.signal.addEventListener("abort", onAbort, { once: true });
        stream.on("data", (message: Decoded) => {
          if (!opened) {
            opened = true;
            core.running();
          }
          if ("row" in message) core.push(message.row);
          else {
            core.batcher.rejectMessage(
              message.bytes.toString("base64"),
              `Cannot decode a response message: ${message.error}`,
            );
          }
          if (core.output?.full && spec.overflow === "block" && !paused) {
            paused = true;
            stream.pause();
            void core.room().then(() => {
              paused = false;
              stream.resume();
            });
          }
        });
        const done = (why: string) => {
          stop.signal.removeEventListener("abort", onAbort);
          resolve({ opened, why });
        };
        stream.on("error", (error: grpc.ServiceError) => {
          done(`${grpc.status[error.code] ?? error.code}: ${error.details || error.message}`);
        });
        stream.on("end", () => done("the server ended the stream"));
      });
    } finally {
      client.close();
    }
  };

  const run = (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      const started = Date.now();
      let ended: { opened: boolean; why: string };
      try {
        ended = await callOnce();
      } catch (error) {
        ended = { opened: false, why: error instanceof Error ? error.message : String(error) };
      }
      if (stop.signal.aborted) break;
      failures = ended.opened && Date.now() - started >= STABLE_MS ? 1 : failures + 1;
      const delay = backoffMs(failures);
      const message = `gRPC ${upstream.method}: ${ended.why}`;
      if (ended.opened) {
        core.gap(`${message}; messages sent meanwhile are lost`, Date.now() + delay);
      } else core.retrying(message, Date.now() + delay);
      await pause(delay, stop.signal);
    }
  })();
  return core.source({
    close: async () => {
      stop.abort();
      call?.cancel();
      await within(run, 5000);
    },
  });
}
