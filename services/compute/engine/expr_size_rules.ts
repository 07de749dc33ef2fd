/**
 * Size rules of function calls (see expr_size.ts): which functions generate rows or list
 * items, and how many bytes per value the plan makes through them (literal strings,
 * padding, separators, formats). A function without a rule is elementwise: as many values
 * as its longest argument, and the widest argument's bytes (none for the functions that
 * answer numbers or booleans).
 *
 * @module
 */

import type { Arg, FunctionCall } from "../../../shared/gen/polaroid/v1/expr.ts";
import { MAX_GENERATED } from "./functions/core_args.ts";
import { MAX_PAD_WIDTH } from "./functions/string_pad.ts";

/** Upper bounds of what one expression yields over an input of a given number of rows. */
export interface ExprSize {
  /** Values it yields (its length). */
  rows: number;
  /** Items of each list value (1 for a value that is no list; Infinity when data decides). */
  items: number;
  /** Leaf values in all (list items counted; Infinity when data decides). */
  values: number;
  /** Values the plan itself makes: range rows, list items of repeats and concatenations. */
  made: number;
  /** Bytes of each value that the plan makes (literal strings, padding); 0 when data decides. */
  width: number;
  /** The input column it reads as is (through aliases and casts), if it is one. */
  column?: string;
}

/** What a rule reads of one call. */
export interface SizeCall {
  readonly fn: FunctionCall;
  /** Rows of the input the expression runs over. */
  readonly rows: number;
  /** Whether it runs per group (group-by aggregations): per-evaluation caps multiply. */
  readonly agg: boolean;
  /** Size of an argument: an expression's, or a plain value's (a scalar). */
  size(key: number | string): ExprSize;
  /** Sizes of a list of expressions (a single expression is a list of one). */
  sizes(key: number | string): ExprSize[];
  /** A literal integer argument, if it is one. */
  int(key: number | string): number | undefined;
  /** Plain items of a list argument, if it is one. */
  count(key: number | string): number | undefined;
  /** Bytes per value of an argument: a string's bytes, the widest string of a list, an expression's width. */
  width(key: number | string): number;
  /** Every expression argument and option, lists of expressions flattened. */
  all(): ExprSize[];
  /** Every argument and option's width, widest first. */
  widest(): number;
}

/** A rule: the size of one call. */
export type SizeRule = (call: SizeCall) => ExprSize;

/** Product of bounds where 0 wins over Infinity. */
export function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

/** One value of `width` bytes (a literal). */
export function scalar(width = 0): ExprSize {
  return { rows: 1, items: 1, values: 1, made: 0, width };
}

/** How many times a value of `part` repeats to fill `rows` rows (a scalar broadcasts). */
export function broadcast(part: ExprSize, rows: number): number {
  return part.rows === 1 && rows > 1 ? rows : 1;
}

/** Elementwise over `parts` (broadcast to the longest), each value `width` bytes. */
export function elementwise(parts: readonly ExprSize[], width: number): ExprSize {
  if (parts.length === 0) return scalar(width);
  const rows = Math.max(...parts.map((p) => p.rows));
  let items = 1;
  let values = 0;
  let made = 0;
  for (const p of parts) {
    items = Math.max(items, p.items);
    values = Math.max(values, times(broadcast(p, rows), p.values));
    made += times(broadcast(p, rows), p.made);
  }
  return { rows, items, values, made, width };
}

/** Functions whose values are numbers or booleans whatever their arguments hold. */
const NUMERIC = new Set([
  "str.contains",
  "str.startsWith",
  "str.endsWith",
  "str.lengths",
  "str.strptime",
  "lst.contains",
  "lst.lengths",
  "lst.argMin",
  "lst.argMax",
  "nullCount",
  "hash",
  "argMax",
  "argMin",
  "argUnique",
  "argSort",
  "pl.argSortBy",
  "rank",
  "cumCount",
  "lowerBound",
  "upperBound",
  "all",
  "any",
  "pl.allHorizontal",
  "pl.anyHorizontal",
  "uniqueCounts",
  "peakMax",
  "peakMin",
  "entropy",
  "kurtosis",
  "skew",
  "pl.cov",
  "pl.pearsonCorr",
  "pl.spearmanRankCorr",
]);

/** Whether a function's values are numbers or booleans (no bytes of the plan reach them). */
export function isNumeric(name: string): boolean {
  return NUMERIC.has(name) || name.startsWith("is") ||
    (name.startsWith("dt.") && name !== "dt.strftime");
}

/** The default rule: elementwise over every argument. */
export function defaultRule(call: SizeCall): ExprSize {
  return elementwise(call.all(), isNumeric(call.fn.name) ? 0 : call.widest());
}

/** Values a call makes per evaluation when only the data decides (runtime-guarded). */
function perEvaluation(call: SizeCall): number {
  return call.agg ? times(call.rows, MAX_GENERATED) : MAX_GENERATED;
}

/** Rows of an integer range with literal ends, or the runtime bound. */
function rangeLength(call: SizeCall): number | undefined {
  const start = call.int(0);
  const stop = call.int(1);
  if (start === undefined || stop === undefined) return undefined;
  const step = Math.abs(call.int("step") ?? 1) || 1;
  // Longer ranges are refused by the builder itself (an invalid argument).
  return Math.min(Math.ceil(Math.abs(stop - start) / step), MAX_GENERATED);
}

function intRange(call: SizeCall): ExprSize {
  const n = rangeLength(call) ?? MAX_GENERATED;
  const rows = call.agg ? times(call.rows, n) : n;
  return { rows, items: 1, values: rows, made: rows, width: 0 };
}

function intRanges(call: SizeCall): ExprSize {
  const ends = elementwise([call.size(0), call.size(1)], 0);
  const n = rangeLength(call);
  const values = n === undefined
    ? Math.min(times(ends.rows, MAX_GENERATED), perEvaluation(call))
    : times(ends.rows, n);
  return { rows: ends.rows, items: n ?? MAX_GENERATED, values, made: values, width: 0 };
}

/** Adds `extra` generated rows (all evaluations together) to the call's first argument. */
function grow(call: SizeCall, extra: number, width = call.size(0).width): ExprSize {
  const input = call.size(0);
  const rows = input.rows + extra;
  return { ...input, rows, values: input.values + extra, made: input.made + extra, width };
}

/** `n` values per evaluation, over every group of an aggregation. */
function perCall(call: SizeCall, n: number): number {
  return call.agg ? times(call.rows, n) : n;
}

function extendConstant(call: SizeCall): ExprSize {
  const width = Math.max(call.size(0).width, call.width(1));
  const n = Math.min(call.int(2) ?? MAX_GENERATED, MAX_GENERATED);
  return grow(call, perCall(call, n), width);
}

function sample(call: SizeCall): ExprSize {
  const input = call.size(0);
  const n = call.int("n");
  if (n !== undefined) {
    return grow(call, Math.max(0, perCall(call, Math.min(n, MAX_GENERATED)) - input.rows));
  }
  const frac = call.fn.options["frac"]?.value;
  const fraction = frac?.$case === "float"
    ? frac.value
    : frac?.$case === "int" || frac?.$case === "uint"
    ? Number(frac.value)
    : 1;
  return grow(call, Math.max(0, Math.ceil(times(fraction, input.rows)) - input.rows));
}

function gather(call: SizeCall): ExprSize {
  const input = call.size(0);
  const listed = call.count(1);
  const rows = listed !== undefined ? perCall(call, listed) : call.size(1).rows;
  const extra = Math.max(0, rows - input.rows);
  return { ...input, rows, values: input.values + extra, made: input.made + extra };
}

function repeatBy(call: SizeCall): ExprSize {
  const parts = elementwise([call.size(0), call.size(1)], call.size(0).width);
  const values = perEvaluation(call);
  return { ...parts, items: MAX_GENERATED, values, made: parts.made + values };
}

function explode(call: SizeCall): ExprSize {
  const input = call.size(0);
  // An empty or null list still yields one (null) row.
  const rows = Number.isFinite(input.values) ? input.values + input.rows : Infinity;
  return { rows, items: 1, values: rows, made: input.made, width: input.width };
}

function implode(call: SizeCall): ExprSize {
  const input = call.size(0);
  const items = Number.isFinite(input.values) ? input.values : Infinity;
  return { rows: 1, items, values: items, made: input.made, width: input.width };
}

/** pl.concatList and lst.concat: every part's items in one list per row. */
function concatLists(parts: readonly ExprSize[]): ExprSize {
  const rows = Math.max(1, ...parts.map((p) => p.rows));
  const seen = new Set<string>();
  let items = 0;
  let values = 0;
  let made = 0;
  let width = 0;
  for (const p of parts) {
    const b = broadcast(p, rows);
    items += p.items;
    values += times(b, p.values);
    width = Math.max(width, p.width);
    // A column of the input copied once is bounded by the input; a copy more is made.
    const first = p.column !== undefined && !seen.has(p.column);
    if (p.column !== undefined) seen.add(p.column);
    const copies = first ? 0 : times(b, Number.isFinite(p.values) ? p.values : p.rows);
    made += Math.max(times(b, p.made), copies);
  }
  return { rows, items, values, made, width };
}

function pad(call: SizeCall): ExprSize {
  const input = call.size(0);
  const width = (call.int(1) ?? MAX_PAD_WIDTH) * Math.max(1, call.width(2));
  return { ...elementwise([input], Math.max(input.width, width)), made: input.made };
}

function zFill(call: SizeCall): ExprSize {
  const input = call.size(0);
  return elementwise(call.all(), Math.max(input.width, call.int(1) ?? MAX_PAD_WIDTH));
}

function concatString(call: SizeCall): ExprSize {
  const parts = call.sizes(0);
  const sep = call.width("sep") || 1;
  const width = parts.reduce((sum, p) => sum + p.width, 0) + sep * Math.max(0, parts.length - 1);
  return elementwise(parts, width);
}

/** str.concat: every value of the column joined into one string. */
function strConcat(call: SizeCall): ExprSize {
  const input = call.size(0);
  const width = times(input.rows, input.width + call.width(1));
  return { rows: 1, items: 1, values: 1, made: input.made, width };
}

function listJoin(call: SizeCall): ExprSize {
  const input = call.size(0);
  const sep = call.width(1) || 1;
  const items = Number.isFinite(input.items) ? input.items : 1;
  return elementwise(call.all(), times(items, input.width + sep));
}

/** Sum of the widths of every argument (struct fields, concatenations, replacements). */
function sumWidths(call: SizeCall): ExprSize {
  const parts = call.all();
  return elementwise(parts, parts.reduce((sum, p) => sum + p.width, 0) + call.widest());
}

/** strftime: a specifier may print up to 16 times its own length ("%c", "%A"). */
function strftime(call: SizeCall): ExprSize {
  return elementwise(call.all(), Math.max(call.size(0).width, 16 * call.width(1)));
}

/** pl.first() and pl.nth(i): a column of the input. */
function inputColumn(call: SizeCall): ExprSize {
  return { rows: call.rows, items: Infinity, values: Infinity, made: 0, width: 0 };
}

/** Size rules by function name. */
export const SIZE_RULES: ReadonlyMap<string, SizeRule> = new Map<string, SizeRule>([
  ["pl.first", inputColumn],
  ["pl.nth", inputColumn],
  ["pl.intRange", intRange],
  ["pl.intRanges", intRanges],
  ["extendConstant", extendConstant],
  ["sample", sample],
  ["gather", gather],
  ["repeatBy", repeatBy],
  ["explode", explode],
  ["flatten", explode],
  ["implode", implode],
  ["pl.concatList", (call) => concatLists(call.sizes(0))],
  ["lst.concat", (call) => concatLists([call.size(0), ...call.sizes(1)])],
  ["str.padStart", pad],
  ["str.padEnd", pad],
  ["str.zFill", zFill],
  ["pl.concatString", concatString],
  ["str.concat", strConcat],
  ["lst.join", listJoin],
  ["str.replace", sumWidths],
  ["str.replaceAll", sumWidths],
  ["pl.struct", sumWidths],
  ["dt.strftime", strftime],
]);

/** Bytes of the plain values of an argument (strings as UTF-8, lists item by item, other scalars 8). */
export function argBytes(arg: Arg): number {
  let total = 0;
  const stack: Arg[] = [arg];
  while (stack.length > 0) {
    const value = stack.pop()!.value;
    if (value?.$case === "string") total += utf8Bytes(value.value);
    else if (value?.$case === "list") stack.push(...value.value.items);
    else if (value !== undefined && value.$case !== "expr") total += 8;
  }
  return total;
}

/** Bytes of a string in UTF-8, without encoding it. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Functions that can generate values or make bytes (their node's bound checks them). */
export const MAKERS: ReadonlySet<string> = new Set(
  [...SIZE_RULES.keys()].filter((name) => name !== "pl.first" && name !== "pl.nth"),
);
