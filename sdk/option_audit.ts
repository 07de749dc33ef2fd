/**
 * What the SDK does with each option of nodejs-polars' lazy API: every option nodejs-polars'
 * typings accept for a method the SDK has is either honoured (run on the server with
 * nodejs-polars' meaning; a compatibility case `<Interface>.<method>.<option>` in tests/compat/
 * shows it) or refused with a TypeError that names it, never dropped. `refuseOptions()` is
 * what the SDK's methods call; tests/option_audit_test.ts reads the typings and fails on an
 * option in neither list, a refused option a method lets through, or an honoured one no case
 * covers. docs/compat.md ("Options") lists the refusals.
 *
 * @module
 */

import type { MethodOptions } from "./option_audit_entry.ts";
import { EXPR_OPTIONS } from "./option_audit_expr.ts";
import { SINK_OPTIONS } from "./option_audit_sink.ts";

const OPTIMIZER =
  "the server runs Polars' optimizer with its default passes; a query cannot switch them";
const OPTIMIZER_FLAGS = [
  "commSubexprElim",
  "commSubplanElim",
  "noOptimization",
  "predicatePushdown",
  "projectionPushdown",
  "simplifyExpression",
  "slicePushdown",
  "typeCoercion",
] as const;
/** nodejs-polars' defaults of the optimizer switches: giving one asks for nothing. */
const OPTIMIZER_DEFAULTS: Readonly<Record<string, boolean>> = {
  ...Object.fromEntries(OPTIMIZER_FLAGS.map((flag) => [flag, true])),
  noOptimization: false,
};
const NOT_APPLIED = "the server does not apply it to scans yet";
const CLOUD = "scans read the server's data root only, never a cloud store a caller names";

const THREADS = "the server sizes its own thread pools";

/** The frames' and top-level functions' options, by `<Interface>.<method>` or `pl.<name>`. */
export const FRAME_OPTIONS: Readonly<Record<string, MethodOptions>> = {
  "LazyDataFrame.collect": {
    honoured: ["streaming"],
    refused: Object.fromEntries(OPTIMIZER_FLAGS.map((flag) => [flag, OPTIMIZER])),
    inert: OPTIMIZER_DEFAULTS,
  },
  "LazyDataFrame.describeOptimizedPlan": {
    refused: Object.fromEntries(
      [...OPTIMIZER_FLAGS, "streaming"].map((flag) => [flag, OPTIMIZER]),
    ),
    inert: { ...OPTIMIZER_DEFAULTS, streaming: false },
  },
  "LazyDataFrame.groupBy": { honoured: ["maintainOrder"] },
  "LazyDataFrame.groupByDynamic": {
    honoured: [
      "by",
      "closed",
      "every",
      "includeBoundaries",
      "indexColumn",
      "label",
      "offset",
      "period",
      "startBy",
    ],
  },
  "LazyDataFrame.groupByRolling": {
    honoured: ["by", "closed", "indexColumn", "offset", "period"],
  },
  "LazyDataFrame.join": {
    honoured: [
      "allowParallel",
      "coalesce",
      "forceParallel",
      "how",
      "leftOn",
      "maintainOrder",
      "on",
      "rightOn",
      "suffix",
    ],
    refused: {
      validate: "the server does not check join cardinality ('1:1', '1:m', 'm:1') yet",
      nullsEqual: "the server's joins never match null keys to each other yet",
      buildSide: "the server picks the hash join's build side",
    },
  },
  "LazyDataFrame.joinAsof": {
    honoured: [
      "allowExactMatches",
      "allowParallel",
      "by",
      "byLeft",
      "byRight",
      "checkSortedness",
      "coalesce",
      "forceParallel",
      "leftOn",
      "on",
      "rightOn",
      "strategy",
      "suffix",
      "tolerance",
    ],
  },
  "LazyDataFrame.shift": { honoured: ["periods"] },
  "LazyDataFrame.shiftAndFill": { honoured: ["fillValue", "n"] },
  "LazyDataFrame.slice": { honoured: ["length", "offset"] },
  "LazyDataFrame.sort": {
    honoured: ["by", "descending", "maintainOrder", "multithreaded", "nullsLast"],
  },
  "LazyDataFrame.unique": { honoured: ["keep", "maintainOrder", "subset"] },
  "LazyDataFrame.unpivot": { honoured: ["valueName", "variableName"] },
  // Sinks: sdk/option_audit_sink.ts.
  ...SINK_OPTIONS,
  "pl.concat": {
    honoured: ["how", "parallel", "rechunk"],
  },
  "pl.concatString": { honoured: ["exprs", "ignoreNulls", "sep"] },
  "pl.intRange": {
    honoured: ["dtype", "end", "start", "step"],
    refused: { eager: "a remote range is an expression; eager Series stay in-process" },
    inert: { eager: false },
  },
  "pl.scanCSV": {
    honoured: [
      "cache",
      "commentPrefix",
      "decimalComma",
      "encoding",
      "eolChar",
      "hasHeader",
      "ignoreErrors",
      "inferSchemaLength",
      "lowMemory",
      "missingUtf8IsEmptyString",
      "nRows",
      "nullValues",
      "parseDates",
      "quoteChar",
      "raiseIfEmpty",
      "rechunk",
      "rowIndexName",
      "rowIndexOffset",
      "schema",
      "sep",
      "skipLines",
      "skipRows",
      "skipRowsAfterHeader",
      "truncateRaggedLines",
    ],
    refused: {
      cloudOptions: CLOUD,
      glob: "a CSV scan reads the one file its path names",
      includeFilePaths: NOT_APPLIED,
      missingColumns: NOT_APPLIED,
      nThreads: THREADS,
    },
    inert: { glob: true },
  },
  "pl.scanIPC": { honoured: ["cache", "nRows", "rechunk"] },
  "pl.scanJson": {
    honoured: [
      "ignoreErrors",
      "inferSchemaLength",
      "lowMemory",
      "nRows",
      "rechunk",
      "rowIndexName",
      "rowIndexOffset",
      "schema",
    ],
    refused: {
      batchSize: "the server sizes its own read batches",
      cloudOptions: CLOUD,
      includeFilePaths: NOT_APPLIED,
      schemaOverrides: NOT_APPLIED,
    },
  },
  "pl.scanParquet": {
    honoured: [
      "allowMissingColumns",
      "cache",
      "hivePartitioning",
      "lowMemory",
      "nRows",
      "parallel",
      "rechunk",
      "rowIndexName",
      "rowIndexOffset",
      "useStatistics",
    ],
    refused: {
      castOptions: NOT_APPLIED,
      cloudOptions: CLOUD,
      extraColumns: NOT_APPLIED,
      glob: "the server expands a glob when the path has one",
      hiddenFilePrefix: NOT_APPLIED,
      hiveSchema: NOT_APPLIED,
      includeFilePaths: NOT_APPLIED,
      missingColumns: NOT_APPLIED,
      schema: NOT_APPLIED,
      tryParseHiveDates: NOT_APPLIED,
    },
    inert: { glob: true },
  },
};

/** Every method's options: the frames', the functions' and the expressions'. */
export const OPTION_AUDIT: Readonly<Record<string, MethodOptions>> = {
  ...FRAME_OPTIONS,
  ...EXPR_OPTIONS,
};

/**
 * Throws a TypeError naming the first option of `options` that `method` refuses (an option
 * given, not undefined, and not its inert value). Anything that is not an object passes: the
 * method checks its own arguments.
 */
export function refuseOptions(method: string, options: unknown): void {
  if (typeof options !== "object" || options === null) return;
  const entry = OPTION_AUDIT[method];
  if (!entry?.refused) return;
  for (const [name, why] of Object.entries(entry.refused)) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (entry.inert && name in entry.inert && Object.is(entry.inert[name], value)) continue;
    throw new TypeError(
      `Cannot call ${method} with option '${name}' as ${why} (Polaroid refuses it rather than ignore it; docs/compat.md, Options)`,
    );
  }
}
