/**
 * The records inside a message, by a path such as `data[*]`: found in the message's JSON
 * *text* (each record is a slice of it), so that integers past 2^53 reach Polars' parser
 * exactly as they were sent. MessagePack messages are decoded (64-bit integers as bigint)
 * and written back as JSON text the same way.
 *
 * @module
 */

import { decode } from "@msgpack/msgpack";

/** One step of a path: a member of an object, then, with `each`, every element of an array. */
interface Step {
  key: string | undefined;
  each: boolean;
}

/** A checked path; `[]` is the message itself. */
export type RecordPath = readonly Step[];

const STEP = /^([A-Za-z0-9_$-]+)?(\[\*\])?$/;

/**
 * Parses a path: dot-separated member names, each optionally followed by `[*]` (every
 * element); `[*]` alone is every element of a message that is an array; "" is the message.
 * Throws Error saying what is wrong.
 */
export function parseRecordPath(text: string): RecordPath {
  if (text === "") return [];
  if (text.length > 256) throw new Error("must have at most 256 characters");
  return text.split(".").map((part) => {
    const match = STEP.exec(part);
    if (part === "" || !match) {
      throw new Error(
        "must be dot-separated member names (letters, digits, _ $ -), each optionally followed by [*]",
      );
    }
    return { key: match[1], each: match[2] !== undefined };
  });
}

/** Bounds of what one message may hold. */
const MAX_RECORDS = 1_000_000;

/**
 * The JSON texts of the records at `path` in a JSON message. Throws Error for a message that
 * is not JSON enough to walk, or whose path leads nowhere.
 */
export function jsonRecords(text: string, path: RecordPath): string[] {
  const start = skipSpace(text, 0);
  const end = valueEnd(text, start);
  if (skipSpace(text, end) !== text.length) throw new Error("the message has text after its value");
  let spans: [number, number][] = [[start, end]];
  for (const step of path) {
    const next: [number, number][] = [];
    for (const [from] of spans) {
      let at: [number, number] = [from, valueEnd(text, from)];
      if (step.key !== undefined) {
        const member = memberSpan(text, from, step.key);
        if (!member) throw new Error(`the message has no member ${JSON.stringify(step.key)} there`);
        at = member;
      }
      if (step.each) {
        if (text[at[0]] !== "[") throw new Error(`${step.key ?? "the message"} must be an array`);
        for (const element of elementSpans(text, at[0])) {
          next.push(element);
          if (next.length > MAX_RECORDS) {
            throw new Error(`the message holds over ${MAX_RECORDS} records`);
          }
        }
      } else {
        next.push(at);
      }
    }
    spans = next;
  }
  return spans.map(([a, b]) => text.slice(a, b));
}

/** The JSON texts of the records at `path` in a MessagePack message. */
export function msgpackRecords(bytes: Uint8Array, path: RecordPath): string[] {
  let values: unknown[] = [decode(bytes, { useBigInt64: true })];
  for (const step of path) {
    values = values.flatMap((value) => {
      let at = value;
      if (step.key !== undefined) {
        if (at === null || typeof at !== "object" || Array.isArray(at) || !(step.key in at)) {
          throw new Error(`the message has no member ${JSON.stringify(step.key)} there`);
        }
        at = (at as Record<string, unknown>)[step.key];
      }
      if (!step.each) return [at];
      if (!Array.isArray(at)) throw new Error(`${step.key ?? "the message"} must be an array`);
      return at;
    });
    if (values.length > MAX_RECORDS) {
      throw new Error(`the message holds over ${MAX_RECORDS} records`);
    }
  }
  return values.map(jsonText);
}

/** Marks a bigint's digits within a string; random, so that no message can forge it. */
const BIGINT_MARK = `bigint-${crypto.randomUUID()}:`;
const BIGINT_MARKED = new RegExp(`"${BIGINT_MARK}(-?\\d+)"`, "g");

/** JSON text of a decoded MessagePack value: bigints as their digits, bytes as base64, dates ISO. */
export function jsonText(value: unknown): string {
  const marked = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return `${BIGINT_MARK}${v}`;
    if (v instanceof Uint8Array) return btoa(String.fromCharCode(...v));
    return v;
  });
  return marked.replace(BIGINT_MARKED, "$1");
}

function skipSpace(text: string, i: number): number {
  while (
    i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")
  ) i++;
  return i;
}

/** The index after the JSON value starting at `i` (which must not be whitespace). */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === undefined) throw new Error("the message ends before a value");
  if (c === '"') return stringEnd(text, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = stringEnd(text, j) - 1;
      else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new Error("the message ends inside an object or array");
  }
  let j = i;
  while (j < text.length && !",}] \t\n\r".includes(text[j]!)) j++;
  if (j === i) throw new Error(`the message has ${JSON.stringify(c)} where a value must be`);
  return j;
}

function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j + 1;
  }
  throw new Error("the message ends inside a string");
}

/** The span of member `key`'s value in the object at `i`, or undefined. */
function memberSpan(text: string, i: number, key: string): [number, number] | undefined {
  if (text[i] !== "{") return undefined;
  let j = skipSpace(text, i + 1);
  if (text[j] === "}") return undefined;
  for (;;) {
    if (text[j] !== '"') throw new Error("the message has an object member without a quoted name");
    const nameEnd = stringEnd(text, j);
    const name = JSON.parse(text.slice(j, nameEnd)) as string;
    j = skipSpace(text, nameEnd);
    if (text[j] !== ":") throw new Error("the message has an object member without ':'");
    const from = skipSpace(text, j + 1);
    const to = valueEnd(text, from);
    if (name === key) return [from, to];
    j = skipSpace(text, to);
    if (text[j] === "}") return undefined;
    if (text[j] !== ",") throw new Error("the message has object members without ','");
    j = skipSpace(text, j + 1);
  }
}

/** The spans of the elements of the array at `i`. */
function* elementSpans(text: string, i: number): Generator<[number, number]> {
  let j = skipSpace(text, i + 1);
  if (text[j] === "]") return;
  for (;;) {
    const to = valueEnd(text, j);
    yield [j, to];
    j = skipSpace(text, to);
    if (text[j] === "]") return;
    if (text[j] !== ",") throw new Error("the message has array elements without ','");
    j = skipSpace(text, j + 1);
  }
}
