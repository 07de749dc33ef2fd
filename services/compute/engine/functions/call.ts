/**
 * One FunctionCall being built: typed access to its positional arguments (by index) and
 * its options (by name). Every accessor checks the argument's kind and range and throws
 * InvalidPlanError naming the function and the argument, so a builder reads like the
 * nodejs-polars call it makes.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { InvalidPlanError } from "../../../../shared/errors.ts";
import type { Arg, Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import type { DataType } from "../../../../shared/gen/polaroid/v1/types.ts";
import { toPolarsType } from "../dtypes.ts";

/** Builds a sub-expression (passed in, so this module does not import the expression builder). */
export type BuildExpr = (expr: Expr) => pl.Expr;

/** A positional argument (index) or an option (name). */
export type ArgKey = number | string;

/** Bounds of a numeric argument. */
export interface NumberBounds {
  /** Smallest accepted value. */
  min?: number;
  /** Largest accepted value. */
  max?: number;
}

/** A plain value of an argument list (see `Call.values`). */
export type Scalar = null | boolean | number | bigint | string;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Access to the arguments of one call. */
export class Call {
  readonly name: string;
  readonly #args: readonly Arg[];
  readonly #options: Readonly<Record<string, Arg>>;
  readonly #build: BuildExpr;

  constructor(
    name: string,
    args: readonly Arg[],
    options: Readonly<Record<string, Arg>>,
    build: BuildExpr,
  ) {
    this.name = name;
    this.#args = args;
    this.#options = options;
    this.#build = build;
  }

  /** Whether the argument or option is present (a null value counts as present). */
  has(key: ArgKey): boolean {
    return this.#get(key) !== undefined;
  }

  /** Whether the argument is absent or an explicit null. */
  isNull(key: ArgKey): boolean {
    const arg = this.#get(key);
    return arg === undefined || arg.value?.$case === "null";
  }

  /** An expression argument (required). */
  expr(key: ArgKey): pl.Expr {
    const value = this.#need(key).value;
    if (value?.$case !== "expr") this.#fail(key, "be an expression", value?.$case);
    return this.#build(value.value);
  }

  /** An expression argument, or undefined when absent or null. */
  maybeExpr(key: ArgKey): pl.Expr | undefined {
    return this.isNull(key) ? undefined : this.expr(key);
  }

  /** A list of expressions (a single expression is a list of one). */
  exprs(key: ArgKey): pl.Expr[] {
    const value = this.#need(key).value;
    if (value?.$case === "expr") return [this.#build(value.value)];
    if (value?.$case !== "list") this.#fail(key, "be a list of expressions", value?.$case);
    return value.value.items.map((item, i) => {
      if (item.value?.$case !== "expr") {
        this.#fail(`${key}[${i}]`, "be an expression", item.value?.$case);
      }
      return this.#build(item.value.value);
    });
  }

  /** A safe integer (int or uint argument). */
  int(key: ArgKey, bounds: NumberBounds = {}, fallback?: number): number {
    const value = this.#get(key)?.value;
    if (value === undefined || value.$case === "null") {
      if (fallback !== undefined) return fallback;
      this.#fail(key, "be set", "unset");
    }
    if (value.$case !== "int" && value.$case !== "uint") {
      this.#fail(key, "be an integer", value.$case);
    }
    if (value.value < MIN_SAFE || value.value > MAX_SAFE) {
      this.#fail(key, "be a safe integer", value.value);
    }
    return this.#bounded(key, Number(value.value), bounds);
  }

  /** An integer, or undefined when absent or null. */
  maybeInt(key: ArgKey, bounds: NumberBounds = {}): number | undefined {
    return this.isNull(key) ? undefined : this.int(key, bounds);
  }

  /** A finite or infinite number (int, uint or float argument; NaN refused). */
  number(key: ArgKey, bounds: NumberBounds = {}, fallback?: number): number {
    const value = this.#get(key)?.value;
    if (value === undefined || value.$case === "null") {
      if (fallback !== undefined) return fallback;
      this.#fail(key, "be set", "unset");
    }
    let n: number;
    if (value.$case === "float") n = value.value;
    else if (value.$case === "int" || value.$case === "uint") n = Number(value.value);
    else this.#fail(key, "be a number", value.$case);
    if (Number.isNaN(n)) this.#fail(key, "be a number", "NaN");
    return this.#bounded(key, n, bounds);
  }

  /** A number, or undefined when absent or null. */
  maybeNumber(key: ArgKey, bounds: NumberBounds = {}): number | undefined {
    return this.isNull(key) ? undefined : this.number(key, bounds);
  }

  /** A string; `allowed` restricts it to a closed set. */
  string<T extends string = string>(
    key: ArgKey,
    allowed?: readonly T[],
    fallback?: T,
  ): T {
    const value = this.#get(key)?.value;
    if (value === undefined || value.$case === "null") {
      if (fallback !== undefined) return fallback;
      this.#fail(key, "be set", "unset");
    }
    if (value.$case !== "string") this.#fail(key, "be a string", value.$case);
    if (allowed && !allowed.includes(value.value as T)) {
      this.#fail(key, `be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value.value);
    }
    return value.value as T;
  }

  /** A string, or undefined when absent or null. */
  maybeString<T extends string = string>(key: ArgKey, allowed?: readonly T[]): T | undefined {
    return this.isNull(key) ? undefined : this.string(key, allowed);
  }

  /** A boolean. */
  bool(key: ArgKey, fallback?: boolean): boolean {
    const value = this.#get(key)?.value;
    if (value === undefined || value.$case === "null") {
      if (fallback !== undefined) return fallback;
      this.#fail(key, "be set", "unset");
    }
    if (value.$case !== "bool") this.#fail(key, "be a boolean", value.$case);
    return value.value;
  }

  /** A boolean, or undefined when absent or null. */
  maybeBool(key: ArgKey): boolean | undefined {
    return this.isNull(key) ? undefined : this.bool(key);
  }

  /** A data type (checked when the plan was validated). */
  dtype(key: ArgKey): pl.DataType {
    return toPolarsType(this.protoDtype(key));
  }

  /** Data types: one, or a non-empty list of them. */
  dtypes(key: ArgKey): pl.DataType[] {
    const value = this.#need(key).value;
    if (value?.$case === "dtype") return [toPolarsType(value.value)];
    if (value?.$case !== "list" || value.value.items.length === 0) {
      this.#fail(key, "be a data type or a non-empty list of them", value?.$case);
    }
    return value.value.items.map((item, i) => {
      if (item.value?.$case !== "dtype") {
        this.#fail(`${key}[${i}]`, "be a data type", item.value?.$case);
      }
      return toPolarsType(item.value.value);
    });
  }

  /** A data type as sent. */
  protoDtype(key: ArgKey): DataType {
    const value = this.#need(key).value;
    if (value?.$case !== "dtype") this.#fail(key, "be a data type", value?.$case);
    return value.value;
  }

  /** A list of plain values (no expressions, no nested lists); 64-bit integers stay bigint. */
  values(key: ArgKey): Scalar[] {
    const value = this.#need(key).value;
    if (value?.$case !== "list") this.#fail(key, "be a list of values", value?.$case);
    return value.value.items.map((item, i) => this.#scalar(`${key}[${i}]`, item));
  }

  /** A list of strings (a single string is a list of one). */
  strings(key: ArgKey): string[] {
    const value = this.#need(key).value;
    if (value?.$case === "string") return [value.value];
    if (value?.$case !== "list") this.#fail(key, "be a list of strings", value?.$case);
    return value.value.items.map((item, i) => {
      if (item.value?.$case !== "string") {
        this.#fail(`${key}[${i}]`, "be a string", item.value?.$case);
      }
      return item.value.value;
    });
  }

  /** A list of numbers. */
  numbers(key: ArgKey): number[] {
    const value = this.#need(key).value;
    if (value?.$case !== "list") this.#fail(key, "be a list of numbers", value?.$case);
    return value.value.items.map((item, i) => {
      const v = item.value;
      if (v?.$case === "float") return v.value;
      if (v?.$case === "int" || v?.$case === "uint") return Number(v.value);
      this.#fail(`${key}[${i}]`, "be a number", v?.$case);
    });
  }

  /** The kind of an argument as sent ("expr", "int", "string", ...), or undefined. */
  kind(key: ArgKey): NonNullable<Arg["value"]>["$case"] | undefined {
    return this.#get(key)?.value?.$case;
  }

  /** Throws InvalidPlanError about an argument. */
  fail(key: ArgKey, rule: string, value: unknown): never {
    this.#fail(key, rule, value);
  }

  #scalar(key: string, item: Arg): Scalar {
    const v = item.value;
    switch (v?.$case) {
      case "null":
        return null;
      case "bool":
      case "float":
      case "string":
        return v.value;
      case "int":
      case "uint":
        return v.value >= MIN_SAFE && v.value <= MAX_SAFE ? Number(v.value) : v.value;
    }
    this.#fail(key, "be a plain value", v?.$case);
  }

  #bounded(key: ArgKey, n: number, { min, max }: NumberBounds): number {
    if (min !== undefined && n < min) this.#fail(key, `be at least ${min}`, n);
    if (max !== undefined && n > max) this.#fail(key, `be at most ${max}`, n);
    return n;
  }

  #get(key: ArgKey): Arg | undefined {
    return typeof key === "number" ? this.#args[key] : this.#options[key];
  }

  #need(key: ArgKey): Arg {
    const arg = this.#get(key);
    if (arg === undefined) this.#fail(key, "be set", "unset");
    return arg;
  }

  #fail(key: ArgKey | string, rule: string, value: unknown): never {
    const where = typeof key === "number" ? `argument ${key}` : `'${key}'`;
    const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 100)) : String(value);
    throw new InvalidPlanError(
      `Cannot call ${this.name}() as ${where} must ${rule}: current value is ${shown}`,
    );
  }
}
