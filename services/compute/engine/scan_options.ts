/**
 * A file scan's nodejs-polars options, from the plan's `ScanOptions`: each set field becomes
 * the option of the same meaning in nodejs-polars' own spelling, so a scan reads exactly as
 * `pl.scanCSV(path, options)` (or Parquet, IPC, NDJSON) reads in-process. A field the format
 * does not take, and any value out of bounds, is InvalidPlanError naming it, checked before
 * the file is touched.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { InvalidPlanError } from "../../../shared/errors.ts";
import { FileFormat, type ScanOptions } from "../../../shared/gen/polaroid/v1/plan.ts";
import { checkDataType } from "./checks.ts";
import { toPolarsType } from "./dtypes.ts";

/** Longest string option (a null value, a comment prefix, a column name). */
const MAX_TEXT = 1024;
/** Most null values or schema fields a scan may name. */
const MAX_ENTRIES = 10_000;

type Field = Exclude<keyof ScanOptions, "nullValues"> | "nullValues";

/** The fields each format takes (nodejs-polars' typings of its scan). */
const TAKES: Readonly<Record<FileFormat, ReadonlySet<Field>>> = {
  [FileFormat.FILE_FORMAT_CSV]: new Set<Field>([
    "nRows",
    "rowIndexName",
    "rowIndexOffset",
    "rechunk",
    "cache",
    "lowMemory",
    "ignoreErrors",
    "inferSchemaLength",
    "inferSchemaAll",
    "skipRows",
    "skipLines",
    "skipRowsAfterHeader",
    "commentPrefix",
    "quoteChar",
    "nullValues",
    "eolChar",
    "missingUtf8IsEmptyString",
    "raiseIfEmpty",
    "truncateRaggedLines",
    "decimalComma",
    "parseDates",
    "encoding",
    "schema",
  ]),
  [FileFormat.FILE_FORMAT_PARQUET]: new Set<Field>([
    "nRows",
    "rowIndexName",
    "rowIndexOffset",
    "rechunk",
    "cache",
    "lowMemory",
    "useStatistics",
    "parallel",
    "hivePartitioning",
    "allowMissingColumns",
  ]),
  [FileFormat.FILE_FORMAT_IPC]: new Set<Field>(["nRows", "rechunk", "cache"]),
  [FileFormat.FILE_FORMAT_NDJSON]: new Set<Field>([
    "nRows",
    "rowIndexName",
    "rowIndexOffset",
    "rechunk",
    "lowMemory",
    "ignoreErrors",
    "inferSchemaLength",
    "inferSchemaAll",
    "schema",
  ]),
  [FileFormat.FILE_FORMAT_UNSPECIFIED]: new Set<Field>(),
  [FileFormat.UNRECOGNIZED]: new Set<Field>(),
};

function invalid(field: string, must: string, current: unknown): InvalidPlanError {
  const shown = typeof current === "bigint" ? String(current) : JSON.stringify(current);
  return new InvalidPlanError(
    `Cannot scan the file as 'options.${field}' must ${must}: current value is ${
      String(shown).slice(0, 80)
    }`,
    { metadata: { field: `options.${field}` } },
  );
}

function count(field: string, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalid(field, `be at most ${Number.MAX_SAFE_INTEGER}`, value);
  }
  return Number(value);
}

function text(field: string, value: string, chars?: number): string {
  if (value.length > MAX_TEXT) throw invalid(field, `hold at most ${MAX_TEXT} characters`, value);
  if (chars !== undefined && [...value].length !== chars) {
    throw invalid(field, `be ${chars === 1 ? "one character" : `${chars} characters`}`, value);
  }
  return value;
}

function oneOf(field: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw invalid(field, `be one of ${allowed.join(", ")}`, value);
  return value;
}

/** The options object for nodejs-polars' scan of `format`; `{}` when none are set. */
export function scanOptions(
  format: FileFormat,
  options: ScanOptions | undefined,
): Record<string, unknown> {
  if (!options) return {};
  const takes = TAKES[format] ?? new Set<Field>();
  const out: Record<string, unknown> = {};
  const set = <K extends Field>(field: K, apply: () => void) => {
    const present = field === "nullValues"
      ? options.nullValues !== undefined
      : field === "schema"
      ? options.schema.length > 0
      : options[field as Exclude<Field, "nullValues">] !== undefined;
    if (!present) return;
    if (!takes.has(field)) {
      throw new InvalidPlanError(
        `Cannot scan the file as its format does not take 'options.${field}' (nodejs-polars' scan of it has no such option)`,
        { metadata: { field: `options.${field}` } },
      );
    }
    apply();
  };
  set("nRows", () => (out.nRows = count("nRows", options.nRows!)));
  set("rowIndexName", () => {
    const name = text("rowIndexName", options.rowIndexName!);
    if (name === "") throw invalid("rowIndexName", "not be empty", name);
    out.rowIndexName = name;
  });
  set(
    "rowIndexOffset",
    () => (out.rowIndexOffset = count("rowIndexOffset", options.rowIndexOffset!)),
  );
  set("rechunk", () => (out.rechunk = options.rechunk));
  set("cache", () => (out.cache = options.cache));
  set("lowMemory", () => (out.lowMemory = options.lowMemory));
  set("ignoreErrors", () => (out.ignoreErrors = options.ignoreErrors));
  set("inferSchemaLength", () => {
    out.inferSchemaLength = count("inferSchemaLength", options.inferSchemaLength!);
  });
  set("inferSchemaAll", () => {
    if (options.inferSchemaLength !== undefined) {
      throw invalid("inferSchemaAll", "not be set with 'inferSchemaLength'", true);
    }
    // nodejs-polars' `inferSchemaLength: null`, passed as nodejs-polars passes it.
    if (options.inferSchemaAll) out.inferSchemaLength = null;
  });
  set("skipRows", () => (out.skipRows = count("skipRows", options.skipRows!)));
  set("skipLines", () => (out.skipLines = count("skipLines", options.skipLines!)));
  set("skipRowsAfterHeader", () => {
    out.skipRowsAfterHeader = count("skipRowsAfterHeader", options.skipRowsAfterHeader!);
  });
  set("commentPrefix", () => {
    const prefix = text("commentPrefix", options.commentPrefix!);
    if (prefix === "" || [...prefix].length > 8) {
      throw invalid("commentPrefix", "hold 1 to 8 characters", prefix);
    }
    out.commentPrefix = prefix;
  });
  set("quoteChar", () => {
    // "" is nodejs-polars' null: no quoting.
    out.quoteChar = options.quoteChar === "" ? null : text("quoteChar", options.quoteChar!, 1);
  });
  set("nullValues", () => {
    const nulls = options.nullValues!;
    if (nulls.$case === "nullValue") {
      out.nullValues = text("nullValues", nulls.value);
    } else if (nulls.$case === "nullValueList") {
      if (nulls.value.values.length > MAX_ENTRIES) {
        throw invalid(
          "nullValues",
          `hold at most ${MAX_ENTRIES} values`,
          nulls.value.values.length,
        );
      }
      out.nullValues = nulls.value.values.map((v) => text("nullValues", v));
    } else {
      const entries = Object.entries(nulls.value.values);
      if (entries.length > MAX_ENTRIES) {
        throw invalid("nullValues", `hold at most ${MAX_ENTRIES} columns`, entries.length);
      }
      out.nullValues = Object.fromEntries(
        entries.map(([k, v]) => [text("nullValues", k), text("nullValues", v)]),
      );
    }
  });
  set("eolChar", () => (out.eolChar = text("eolChar", options.eolChar!, 1)));
  set("missingUtf8IsEmptyString", () => {
    out.missingUtf8IsEmptyString = options.missingUtf8IsEmptyString;
  });
  set("raiseIfEmpty", () => (out.raiseIfEmpty = options.raiseIfEmpty));
  set("truncateRaggedLines", () => (out.truncateRaggedLines = options.truncateRaggedLines));
  set("decimalComma", () => (out.decimalComma = options.decimalComma));
  set("parseDates", () => (out.parseDates = options.parseDates));
  set("encoding", () => {
    out.encoding = oneOf("encoding", options.encoding!, ["utf8", "utf8-lossy"]);
  });
  set("schema", () => {
    if (options.schema.length > MAX_ENTRIES) {
      throw invalid("schema", `hold at most ${MAX_ENTRIES} fields`, options.schema.length);
    }
    const schema: Record<string, pl.DataType> = {};
    for (const [i, field] of options.schema.entries()) {
      const name = text(`schema[${i}].name`, field.name);
      if (name in schema) throw invalid(`schema[${i}].name`, "be unique", name);
      checkDataType(field.dtype, `options.schema[${i}].dtype`);
      schema[name] = toPolarsType(field.dtype!) as pl.DataType;
    }
    out.schema = schema;
  });
  set("useStatistics", () => (out.useStatistics = options.useStatistics));
  set("parallel", () => {
    out.parallel = oneOf("parallel", options.parallel!, ["auto", "columns", "row_groups", "none"]);
  });
  set("hivePartitioning", () => (out.hivePartitioning = options.hivePartitioning));
  set("allowMissingColumns", () => (out.allowMissingColumns = options.allowMissingColumns));
  return out;
}
