/**
 * String functions of an expression (`expr.str`), named as nodejs-polars' `ExprString`. Each
 * method records a call of the server-side function "str.<method>".
 *
 * @module
 */

import { DataType } from "../datatypes.ts";
import {
  type ArgOptions,
  type ArgValue,
  callMethod,
  type ExprNode,
  type ExprNodeOf,
} from "./call.ts";
import { args } from "./_args.ts";

/** A regex pattern: a string (regex syntax of the Rust regex crate), a RegExp or an Expr. */
export type Pattern = string | RegExp | ExprNode;

/** Encodings of `decode` and `encode`. */
export type Encoding = "hex" | "base64";

/** Options of `strptime` beyond nodejs-polars' two arguments (Python Polars' options). */
export interface StrptimeOptions {
  /** Fail on a value that does not parse (otherwise it becomes null). @default false */
  strict?: boolean;
  /** Require the format to match the whole string. @default false */
  exact?: boolean;
  /** Cache parsed values. @default false */
  cache?: boolean;
  /** Local times that are ambiguous in the time zone. @default "raise" */
  ambiguous?: "raise" | "earliest" | "latest" | "null" | ExprNode;
}

/** The widest padding accepted by padStart, padEnd and zFill (the server refuses more). */
export const MAX_PAD_WIDTH = 10_000;

/** A RegExp as nodejs-polars sends it: its flags become an inline group. */
function pattern(value: Pattern): ArgValue {
  if (!(value instanceof RegExp)) return value;
  if (value.flags.includes("g") || value.flags.includes("y")) {
    throw new TypeError(
      `Cannot use the RegExp as its flags must not include "g" or "y": current value is /${value.source}/${value.flags}`,
    );
  }
  return value.flags ? `(?${value.flags})${value.source}` : value.source;
}

/** `expr.str`: string functions. */
export class ExprString<R> {
  readonly #expr: ExprNodeOf<R>;

  constructor(expr: ExprNodeOf<R>) {
    this.#expr = expr;
  }

  #call(method: string, list: readonly (ArgValue | undefined)[] = [], options: ArgOptions = {}) {
    return callMethod(this.#expr, `str.${method}`, args(list), options);
  }

  /** Joins all values into one string (an aggregation); `ignoreNulls` @default true. */
  concat(delimiter: string, ignoreNulls?: boolean): R {
    return this.#call("concat", [delimiter, ignoreNulls]);
  }
  /** Whether each value matches a regex (or holds a substring when `literal`); `strict` @default true. */
  contains(pat: Pattern, literal?: boolean, strict?: boolean): R {
    return this.#call("contains", [pattern(pat), literal, strict]);
  }
  /** Decodes hex or base64 text to Binary; `strict` (fail on bad input) @default false. */
  decode(encoding: Encoding | { encoding: Encoding; strict?: boolean }, strict?: boolean): R {
    return typeof encoding === "string"
      ? this.#call("decode", [encoding, strict])
      : this.#call("decode", [encoding.encoding, encoding.strict]);
  }
  /** Encodes each value as hex or base64. */
  encode(encoding: Encoding): R {
    return this.#call("encode", [encoding]);
  }
  /** Whether each value ends with the suffix. */
  endsWith(suffix: string | ExprNode): R {
    return this.#call("endsWith", [suffix]);
  }
  /** Whether each value starts with the prefix. */
  startsWith(prefix: string | ExprNode): R {
    return this.#call("startsWith", [prefix]);
  }
  /** The capture group `groupIndex` (0: whole match) of the first match, or null. */
  extract(pat: Pattern, groupIndex: number): R {
    return this.#call("extract", [pattern(pat), groupIndex]);
  }
  /** Parses JSON text into values of `dtype` (required, as in nodejs-polars). */
  jsonDecode(dtype: DataType): R {
    if (!(dtype instanceof DataType)) {
      throw new TypeError(
        `Cannot decode JSON as 'dtype' must be a DataType: current value is ${String(dtype)}`,
      );
    }
    return this.#call("jsonDecode", [dtype]);
  }
  /** The first match of a JSONPath query, as text. */
  jsonPathMatch(pat: string): R {
    return this.#call("jsonPathMatch", [pat]);
  }
  /** The number of characters (UInt32). */
  lengths(): R {
    return this.#call("lengths");
  }
  /** Removes leading whitespace. */
  lstrip(): R {
    return this.#call("lstrip");
  }
  /** Removes trailing whitespace. */
  rstrip(): R {
    return this.#call("rstrip");
  }
  /** Removes leading and trailing whitespace. */
  strip(): R {
    return this.#call("strip");
  }
  /** Removes these characters (whitespace when null) from both ends. */
  stripChars(chars?: string | ExprNode | null): R {
    return this.#call("stripChars", [chars ?? null]);
  }
  /** Removes these characters (whitespace when null) from the start. */
  stripCharsStart(chars?: string | ExprNode | null): R {
    return this.#call("stripCharsStart", [chars ?? null]);
  }
  /** Removes these characters (whitespace when null) from the end. */
  stripCharsEnd(chars?: string | ExprNode | null): R {
    return this.#call("stripCharsEnd", [chars ?? null]);
  }
  /**
   * Replaces the first `n` matches; `literal` @default false, `n` @default 1 (a regex
   * pattern takes only n = 1, as the engine's binding: use replaceAll).
   */
  replace(pat: Pattern, value: string | ExprNode, literal?: boolean, n?: number): R {
    return this.#call("replace", [pattern(pat), value, literal, n]);
  }
  /** Replaces every match; `literal` @default false. */
  replaceAll(pat: Pattern, value: string | ExprNode, literal?: boolean): R {
    return this.#call("replaceAll", [pattern(pat), value, literal]);
  }
  /** Lower-cases each value. */
  toLowerCase(): R {
    return this.#call("toLowerCase");
  }
  /** Upper-cases each value. */
  toUpperCase(): R {
    return this.#call("toUpperCase");
  }
  /** Pads at the start with the first character of `fillChar` to `length` (≤ MAX_PAD_WIDTH). */
  padStart(length: number, fillChar: string): R {
    return this.#call("padStart", [length, fillChar]);
  }
  /** Pads at the end with the first character of `fillChar` to `length` (≤ MAX_PAD_WIDTH). */
  padEnd(length: number, fillChar: string): R {
    return this.#call("padEnd", [length, fillChar]);
  }
  /** Pads with leading zeros (after a sign) to `length` (≤ MAX_PAD_WIDTH, checked per row for an Expr). */
  zFill(length: number | ExprNode): R {
    return this.#call("zFill", [length]);
  }
  /** The substring from `start` (negative: from the end) of `length` characters (to the end when absent). */
  slice(start: number | ExprNode, length?: number | ExprNode): R {
    return this.#call("slice", [start, length ?? null]);
  }
  /** Splits by a separator into a List(String); `inclusive` keeps the separators @default false. */
  split(by: string, options?: { inclusive?: boolean } | boolean): R {
    const inclusive = typeof options === "boolean" ? options : options?.inclusive;
    return this.#call("split", [by, inclusive]);
  }
  /**
   * Parses text as a Date or a Datetime of the given time unit and time zone. Given
   * uninstantiated (`pl.Datetime`), the unit is inferred from the format (microseconds
   * unless it holds nanoseconds), as nodejs-polars does for every Datetime.
   */
  strptime(
    datatype: DataType | typeof DataType.Datetime,
    fmt?: string,
    options: StrptimeOptions = {},
  ): R {
    const dtype = datatype === DataType.Datetime ? "Datetime" : datatype;
    if (!(dtype instanceof DataType) && dtype !== "Datetime") {
      throw new TypeError(
        `Cannot parse as 'datatype' must be Date or Datetime: current value is ${String(datatype)}`,
      );
    }
    return this.#call("strptime", [dtype, fmt], {
      strict: options.strict,
      exact: options.exact,
      cache: options.cache,
      ambiguous: options.ambiguous,
    });
  }
}
