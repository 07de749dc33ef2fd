/**
 * Decoding requests without trusting them. grpc-js decodes a request before any handler
 * runs, and answers INTERNAL when decoding throws; a body made of millions of empty messages
 * decodes into millions of objects. Every method a server binds therefore decodes through
 * here: a request message larger than its bound is refused before decoding, decoding stops
 * after a bounded number of protobuf fields, and whatever fails comes back as a
 * {@link MalformedRequest} value, which the call wrapper turns into INVALID_ARGUMENT (or
 * RESOURCE_EXHAUSTED for a size).
 *
 * @module
 */

import { BinaryReader } from "@bufbuild/protobuf/wire";
import { InvalidArgumentError, LimitExceededError, type PolaroidError } from "../errors.ts";
import type { AnyMethod } from "./types.ts";

/** What decoding a request gave instead of a message. */
export class MalformedRequest {
  constructor(readonly error: PolaroidError) {}
}

/** Bounds of {@link guardDecoding}. */
export interface DecodeLimits {
  /** Bytes of the one request message of a call that is not request-streaming. */
  maxRequestBytes: number;
  /** Protobuf fields (tags and lengths read) of any one request message. */
  maxRequestFields: number;
}

/** Thrown inside decoding when the field budget is spent. */
class BudgetSpent extends Error {}

/** A reader that counts the varints it reads (every tag and every length is one). */
class BudgetReader extends BinaryReader {
  constructor(buf: Uint8Array, budget: number) {
    super(buf);
    const read = this.uint32;
    let left = budget;
    this.uint32 = function (this: BinaryReader) {
      if (--left < 0) throw new BudgetSpent();
      return read.call(this);
    };
  }
}

/**
 * The method with a request decoder that never throws: it returns the message, or a
 * MalformedRequest saying why there is none.
 */
export function guardDecoding(method: AnyMethod, limits: DecodeLimits): AnyMethod {
  // The generated deserializers are `(value) => Message.decode(value)`, and `decode` takes a
  // BinaryReader as well as bytes: handing it the counting reader bounds the whole decode.
  const decode = method.requestDeserialize as unknown as (input: BinaryReader) => unknown;
  const name = method.path.split("/").at(-1) ?? method.path;
  return {
    ...method,
    requestDeserialize: (bytes: Buffer) => {
      if (!method.requestStream && bytes.byteLength > limits.maxRequestBytes) {
        return new MalformedRequest(
          new LimitExceededError(
            `Cannot decode the ${name} request as it must be at most ${limits.maxRequestBytes} bytes (POLAROID_MAX_REQUEST_BYTES): current value is ${bytes.byteLength}`,
            { metadata: { limit: String(limits.maxRequestBytes) } },
          ),
        );
      }
      try {
        return decode(new BudgetReader(bytes, limits.maxRequestFields));
      } catch (error) {
        if (error instanceof BudgetSpent) {
          return new MalformedRequest(
            new LimitExceededError(
              `Cannot decode the ${name} request as it must hold at most ${limits.maxRequestFields} protobuf fields (POLAROID_MAX_REQUEST_FIELDS): current value is more`,
              { metadata: { limit: String(limits.maxRequestFields) } },
            ),
          );
        }
        const why = error instanceof RangeError && /call stack/i.test(error.message)
          ? "it nests too deeply"
          : `it is not a valid protobuf message (${String(error).slice(0, 200)})`;
        return new MalformedRequest(
          new InvalidArgumentError(`Cannot decode the ${name} request as ${why}`, {
            cause: error,
          }),
        );
      }
    },
  };
}
