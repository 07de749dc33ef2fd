/**
 * Expressions, with the method names and aliases of nodejs-polars' `Expr`. An Expr only
 * records protobuf nodes; nothing runs until a plan is sent. The class is built in steps,
 * each a room of its own: the nodes and the call plumbing (call.ts), operators, casts and
 * aggregations (operators.ts), math, reductions and running operations (numeric.ts), and
 * here the namespaces (`str`, `dt`, `lst`, `struct`), rolling statistics, row operations
 * and values; with the helpers that make Exprs of plain values and column names.
 *
 * @module
 */

import type { Expr as ProtoExpr } from "../../shared/gen/polaroid/v1/expr.ts";
import type { DataType } from "../datatypes.ts";
import { literalProto, type LiteralValue } from "../literal.ts";
import { Series } from "../series.ts";
import {
  type EwmArgs,
  ewmOptions,
  type InterpolationMethod,
  isOptions,
  option,
  pick,
  plainArg,
  type RollingArgs,
  type RollingDdofArgs,
  type RollingOptions,
  rollingOptions,
  type RollingQuantileOptions,
  type RollingSkewOptions,
  type SampleOptions,
  valueListOptions,
  windowOptions,
} from "./_core_args.ts";
import {
  type ArgOptions,
  type ArgValue,
  callMethod,
  columnProto,
  columnProtos,
  DERIVE,
  functionProto,
} from "./call.ts";
import { ExprDateTime } from "./datetime.ts";
import { ExprList } from "./list.ts";
import { ExprNumeric } from "./numeric.ts";
import { ExprString } from "./string.ts";
import { ExprStruct } from "./struct.ts";

/** An expression or a plain value (wrapped in `lit()`). */
export type ExprOrValue = Expr | LiteralValue;

/**
 * A column expression. Build one with `col()`, `lit()`, `when()` or `len()`. `col(["a", "b"])`
 * is one Expr standing for several columns: its methods apply to each, and a frame method
 * receiving it gets one expression per column.
 */
export class Expr extends ExprNumeric<Expr> {
  /** Methods make Exprs (also those of a subclass such as `Then`). */
  [DERIVE](protos: ProtoExpr | readonly ProtoExpr[]): Expr {
    return new Expr(protos);
  }

  /** Whether `value` is an Expr. */
  static isExpr(value: unknown): value is Expr {
    return value instanceof Expr;
  }

  /** String functions. */
  get str(): ExprString<Expr> {
    return new ExprString(this);
  }
  /** Temporal functions. */
  get dt(): ExprDateTime<Expr> {
    return new ExprDateTime(this);
  }
  /** List functions. */
  get lst(): ExprList<Expr> {
    return new ExprList(this);
  }
  /** List functions (the name nodejs-polars prefers to `lst`). */
  get list(): ExprList<Expr> {
    return new ExprList(this);
  }
  /** Struct functions. */
  get struct(): ExprStruct<Expr> {
    return new ExprStruct(this);
  }

  // ---- Rolling and exponentially weighted statistics --------------------------------------

  /** Moving maximum over `windowSize` rows (see RollingOptions). */
  rollingMax(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMax", [], windowOptions("Expr.rollingMax", ...args));
  }
  /** Moving mean over `windowSize` rows (see RollingOptions). */
  rollingMean(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMean", [], windowOptions("Expr.rollingMean", ...args));
  }
  /** Moving minimum over `windowSize` rows (see RollingOptions). */
  rollingMin(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMin", [], windowOptions("Expr.rollingMin", ...args));
  }
  /** Moving sum over `windowSize` rows (see RollingOptions). */
  rollingSum(...args: RollingArgs): Expr {
    return callMethod(this, "rollingSum", [], windowOptions("Expr.rollingSum", ...args));
  }
  /** Moving median over `windowSize` rows (see RollingOptions). */
  rollingMedian(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMedian", [], windowOptions("Expr.rollingMedian", ...args));
  }
  /** Moving standard deviation over `windowSize` rows. @param ddof @default 1 */
  rollingStd(...args: RollingDdofArgs): Expr {
    return callMethod(this, "rollingStd", [], rollingOptions(...args));
  }
  /** Moving variance over `windowSize` rows. @param ddof @default 1 */
  rollingVar(...args: RollingDdofArgs): Expr {
    return callMethod(this, "rollingVar", [], rollingOptions(...args));
  }
  /** Moving quantile (in [0, 1]) over `windowSize` rows. @param interpolation @default "nearest" */
  rollingQuantile(
    quantile: number | RollingQuantileOptions,
    interpolation?: InterpolationMethod,
    windowSize?: number,
    weights?: number[],
    minPeriods?: number,
    center?: boolean,
  ): Expr {
    const o: Partial<RollingQuantileOptions> = typeof quantile === "number"
      ? { quantile, interpolation, windowSize: windowSize! }
      : quantile;
    return callMethod(this, "rollingQuantile", [], {
      ...windowOptions("Expr.rollingQuantile", o as RollingOptions, weights, minPeriods, center),
      quantile: o.quantile,
      interpolation: o.interpolation,
    });
  }
  /** Moving skewness over `windowSize` rows. @param bias @default true */
  rollingSkew(windowSize: number | RollingSkewOptions, bias?: boolean): Expr {
    const o = typeof windowSize === "number" ? { windowSize, bias } : windowSize;
    return callMethod(this, "rollingSkew", [], { windowSize: o.windowSize, bias: o.bias ?? bias });
  }
  /** Exponentially weighted mean (see EwmOptions). */
  ewmMean(...args: EwmArgs): Expr {
    return callMethod(this, "ewmMean", [], ewmOptions(...args));
  }
  /** Exponentially weighted standard deviation (see EwmOptions). */
  ewmStd(...args: EwmArgs): Expr {
    return callMethod(this, "ewmStd", [], ewmOptions(...args));
  }
  /** Exponentially weighted variance (see EwmOptions). */
  ewmVar(...args: EwmArgs): Expr {
    return callMethod(this, "ewmVar", [], ewmOptions(...args));
  }

  // ---- Rows ----------------------------------------------------------------------------

  /** The first `length` values. @default 10 */
  head(length?: number | { length: number }): Expr {
    return callMethod(this, "head", [pick<number>(length, "length") ?? 10]);
  }
  /** The last `length` values. @default 10 */
  tail(length?: number | { length: number }): Expr {
    return callMethod(this, "tail", [pick<number>(length, "length") ?? 10]);
  }
  /** `length` values from `offset` (negative: from the end; null length: to the end). */
  slice(
    offset: number | Expr | { offset: number | Expr; length: number | Expr | null },
    length?: number | Expr | null,
  ): Expr {
    const o = isOptions(offset) ? offset : { offset, length };
    return callMethod(this, "slice", [o.offset as number | Expr, (o.length ?? null) as ArgValue]);
  }
  /** The values at `index` (a list of integers or an integer expression). */
  gather(index: Expr | number | number[] | Series | { index: Expr | number | number[] }): Expr {
    if (index instanceof Series) return this.gather(index.values as number[]);
    const i = pick<Expr | number | number[]>(index, "index");
    return callMethod(this, "gather", [Array.isArray(i) ? i : toExpr(i as ExprOrValue)]);
  }
  /** Every `n`th value (n >= 1), starting at `offset`. @param offset @default 0 */
  gatherEvery(n: number, offset?: number): Expr {
    return callMethod(this, "gatherEvery", offset === undefined ? [n] : [n, offset]);
  }
  /**
   * The values sorted. @param descending @default false
   * @param nullsLast @default false
   * @param maintainOrder keep equal values in order @default false
   */
  sort(
    descending?:
      | boolean
      | { descending?: boolean; nullsLast?: boolean; maintainOrder?: boolean },
    nullsLast?: boolean,
    maintainOrder?: boolean,
  ): Expr {
    return callMethod(this, "sort", [], {
      descending: pick<boolean>(descending, "descending"),
      nullsLast: option<boolean>(descending, "nullsLast") ?? nullsLast,
      maintainOrder: option<boolean>(descending, "maintainOrder") ?? maintainOrder,
    });
  }
  /** The values sorted by other columns. @param descending one flag or one per key @default false */
  sortBy(
    by:
      | string
      | Expr
      | readonly (string | Expr)[]
      | { by: string | Expr | readonly (string | Expr)[]; descending?: boolean | boolean[] },
    descending?: boolean | boolean[],
  ): Expr {
    const keys = isOptions(by) ? by.by : by;
    const desc = (isOptions(by) ? by.descending : descending) ?? false;
    return callMethod(this, "sortBy", [exprList(keys)], {
      descending: Array.isArray(desc) ? desc : [desc],
    });
  }
  /** Indexes that would sort the values. @param descending @default false @param nullsLast @default false */
  argSort(
    descending?: boolean | { descending?: boolean; nullsLast?: boolean },
    nullsLast?: boolean,
  ): Expr {
    return callMethod(this, "argSort", [], {
      descending: pick<boolean>(descending, "descending"),
      nullsLast: option<boolean>(descending, "nullsLast") ?? nullsLast,
    });
  }
  /** The values in reverse order. */
  reverse(): Expr {
    return callMethod(this, "reverse");
  }
  /** The distinct values. @param maintainOrder in order of first occurrence @default false */
  unique(maintainOrder?: boolean | { maintainOrder: boolean }): Expr {
    return callMethod(this, "unique", [], {
      maintainOrder: pick<boolean>(maintainOrder, "maintainOrder"),
    });
  }
  /** The values where `predicate` holds. */
  filter(predicate: Expr): Expr {
    return callMethod(this, "filter", [predicate]);
  }
  /** Alias of `filter()`. */
  where(predicate: Expr): Expr {
    return callMethod(this, "where", [predicate]);
  }
  /** The values without nulls. */
  dropNulls(): Expr {
    return callMethod(this, "dropNulls");
  }
  /** The values without NaN. */
  dropNans(): Expr {
    return callMethod(this, "dropNans");
  }
  /** One row per list element. */
  explode(): Expr {
    return callMethod(this, "explode");
  }
  /** Alias of `explode()`. */
  flatten(): Expr {
    return callMethod(this, "flatten");
  }
  /** The values followed by `n` (at most 10,000,000) copies of a plain `value`. */
  extendConstant(
    value: LiteralValue | { value: LiteralValue; n: number },
    n?: number,
  ): Expr {
    const o = isOptions(value) ? value : { value, n };
    return callMethod(this, "extendConstant", [plainArg(o.value), o.n as number]);
  }
  /** Each value repeated `by` times, as a list (`by` adds up to at most 10,000,000). */
  repeatBy(by: Expr | string | number): Expr {
    return callMethod(this, "repeatBy", [toExprOrColumn(by)]);
  }
  /** The values in the shape `dims` (1 to 8 dimensions, -1 inferred once). */
  reshape(dims: number[]): Expr {
    return callMethod(this, "reshape", [dims]);
  }
  /** A random sample of `n` values or a fraction `frac` of them (see SampleOptions). */
  sample(
    n?: number | SampleOptions,
    frac?: number,
    withReplacement?: boolean,
    seed?: number | bigint,
    shuffle?: boolean,
  ): Expr {
    const o: SampleOptions = isOptions(n) ? n : { n, frac, withReplacement, seed, shuffle };
    return callMethod(this, "sample", [], { ...o, shuffle: o.shuffle ?? shuffle });
  }
  /** The values in random order. @param seed in [0, 2^53) @default random */
  shuffle(seed?: number | bigint | { seed?: number | bigint }): Expr {
    return callMethod(this, "shuffle", [], { seed: pick<number | bigint>(seed, "seed") });
  }
  /** Whether each value occurs more than once. */
  isDuplicated(): Expr {
    return callMethod(this, "isDuplicated");
  }
  /** Whether each value occurs once. */
  isUnique(): Expr {
    return callMethod(this, "isUnique");
  }
  /** Whether each value is the first of its kind. */
  isFirstDistinct(): Expr {
    return callMethod(this, "isFirstDistinct");
  }
  /** Whether each value is above both neighbours. */
  peakMax(): Expr {
    return callMethod(this, "peakMax");
  }
  /** Whether each value is below both neighbours. */
  peakMin(): Expr {
    return callMethod(this, "peakMin");
  }

  // ---- Values and names ------------------------------------------------------------------

  /**
   * Whether each value is in `other`: a list of plain values (a bigint makes it exact
   * Int64), an Expr, or a column name. @param nullsEquals null matches null @default false
   */
  isIn(other: Expr | string | readonly LiteralValue[] | Series, nullsEquals?: boolean): Expr {
    if (other instanceof Series) {
      const values = other.values.map(plainArg);
      const dtype = other.dtype ? { dtype: other.dtype } : valueListOptions(other.values);
      return callMethod(this, "isIn", [values], { nullsEquals, ...dtype });
    }
    if (Array.isArray(other)) {
      const values = other.map(plainArg);
      return callMethod(this, "isIn", [values], { nullsEquals, ...valueListOptions(other) });
    }
    return callMethod(this, "isIn", [toExprOrColumn(other as Expr | string)], { nullsEquals });
  }
  /** Replaces `old` values by `new_` ones (lists pair up; `{old: mapping}` also works). */
  replace(
    old: ExprOrValue | readonly LiteralValue[] | { old: unknown; new_?: unknown },
    new_?: ExprOrValue | readonly LiteralValue[],
  ): Expr {
    const [from, to] = replacePairs(old, new_);
    return callMethod(this, "replace", [from, to]);
  }
  /**
   * Replaces every value: `old` ones by `new_` ones, others by `default_` (an error when
   * unset and a value matches nothing). @param returnDtype the result's type
   */
  replaceStrict(
    old:
      | ExprOrValue
      | readonly LiteralValue[]
      | { old: unknown; new_?: unknown; default_?: unknown; returnDtype?: DataType },
    new_?: ExprOrValue | readonly LiteralValue[],
    default_?: ExprOrValue | readonly LiteralValue[],
    returnDtype?: DataType,
  ): Expr {
    const [from, to] = replacePairs(old, new_);
    const o = isOptions(old) ? old : { default_, returnDtype };
    // An explicit null default (Python Polars' default=None) makes unmatched values null.
    const fallback = o.default_ !== undefined ? o.default_ : default_;
    return callMethod(this, "replaceStrict", [from, to], {
      default: fallback === undefined ? undefined : replaceValue(fallback),
      returnDtype: (o.returnDtype ?? returnDtype) as DataType | undefined,
    });
  }
  /** Every column but these (`col("*").exclude("a")`). */
  exclude(column: string | readonly string[], ...columns: string[]): Expr {
    return callMethod(this, "exclude", [[column, ...columns].flat()]);
  }
  /** Keeps the input's name through the expression. */
  keepName(): Expr {
    return callMethod(this, "keepName");
  }
  /** Prefixes the output name. */
  prefix(prefix: string): Expr {
    return callMethod(this, "prefix", [prefix]);
  }
  /** Suffixes the output name. */
  suffix(suffix: string): Expr {
    return callMethod(this, "suffix", [suffix]);
  }
}

/** A call of the top-level server-side function `name` ("pl.concatList"). */
export function callFunction(
  name: string,
  args: readonly ArgValue[] = [],
  options: ArgOptions = {},
): Expr {
  return new Expr(functionProto(name, args, options));
}

/** Wraps a plain value in a literal; an Expr passes through. */
export function toExpr(value: ExprOrValue): Expr {
  return value instanceof Expr ? value : new Expr(literalProto(value));
}

/** A column by name; an Expr passes through; another plain value becomes a literal. */
export function toExprOrColumn(value: ExprOrValue): Expr {
  if (typeof value === "string") return new Expr(columnProto(value));
  return toExpr(value);
}

/** Column names and Exprs (nested arrays flattened) as one Expr per column. */
export function exprList(items: unknown): Expr[] {
  return columnProtos(items).map((proto) => new Expr(proto));
}

/** A value of replace(): an Expr, a list of plain values or one plain value. */
function replaceValue(value: unknown): ArgValue {
  if (value instanceof Expr) return value;
  if (value instanceof Date) return toExpr(value);
  if (Array.isArray(value)) return value.map(plainArg);
  return plainArg(value);
}

/** The old and new values of replace()/replaceStrict() in either of nodejs-polars' forms. */
function replacePairs(old: unknown, new_: unknown): [ArgValue, ArgValue] {
  if (isOptions(old)) {
    const mapping = old.old;
    if (isOptions(mapping)) {
      // nodejs-polars drops a new_ given with a mapping; Python Polars refuses it.
      const ignored = old.new_ ?? new_;
      if (ignored !== undefined) {
        throw new TypeError(
          `Cannot replace values as 'new_' must be unset when 'old' is a mapping: current value is ${
            String(ignored)
          }`,
        );
      }
      return [Object.keys(mapping), Object.values(mapping).map(plainArg)];
    }
    return [replaceValue(mapping), replaceValue(old.new_ ?? new_)];
  }
  return [replaceValue(old), replaceValue(new_)];
}
