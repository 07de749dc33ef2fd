/**
 * Structural checks of one plan node (its own fields, not its inputs or expressions, which
 * are checked as nodes of their own): set inputs, known enum values, names, durations and
 * the ranges of options that size an allocation. Each failure is an InvalidPlanError.
 *
 * @module
 */

import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  FileFormat,
  type FileScan,
  type GroupBy,
  type GroupByDynamic,
  GroupByOutput,
  type GroupByRolling,
  type JoinAsof,
  JoinType,
  type Pivot,
  type Plan,
} from "../../../shared/gen/polaroid/v1/plan.ts";
import { checkDataType, fail, required } from "./checks.ts";
import {
  ASOF_STRATEGY,
  CLOSED,
  CONCAT_HOW,
  GROUP_OUTPUT,
  JOIN_HOW,
  KEEP,
  LABEL,
  PIVOT_AGG,
  START_BY,
} from "./plan_enums.ts";
import { isZero, parseDuration } from "./plan_duration.ts";
import { MAX_ROWS } from "./slice.ts";
import { checkStatTest } from "./plan_stat_tests.ts";

function known<K>(map: ReadonlyMap<K, unknown>, value: K, field: string): void {
  if (!map.has(value)) fail(field, "be a known enum value", value);
}

function names(values: readonly string[], field: string): void {
  for (const name of values) if (name === "") fail(field, "hold non-empty names", '""');
}

function notEmpty(values: readonly unknown[], field: string): void {
  if (values.length === 0) fail(field, "not be empty", "[]");
}

function name(value: string | undefined, field: string): void {
  if (value === "") fail(field, "not be empty", "");
}

/** A duration that must be longer than zero and not negative. */
function positive(text: string, field: string): void {
  const d = parseDuration(text, field);
  if (d.negative || isZero(d)) fail(field, "be a positive duration", text);
}

function isColumn(expr: Expr | undefined): boolean {
  return expr?.kind?.$case === "column";
}

const FILE_FORMATS: ReadonlySet<FileFormat> = new Set([
  FileFormat.FILE_FORMAT_PARQUET,
  FileFormat.FILE_FORMAT_CSV,
  FileFormat.FILE_FORMAT_IPC,
  FileFormat.FILE_FORMAT_NDJSON,
]);

function checkFileScan(file: FileScan): void {
  if (!FILE_FORMATS.has(file.format)) {
    fail("scan.file.format", "be a known enum value", file.format);
  }
  if (file.path === "") fail("scan.file.path", "not be empty", "");
  if (file.separator !== undefined) {
    const code = file.separator.charCodeAt(0);
    if (file.separator.length !== 1 || code > 127) {
      fail("scan.file.separator", "be one ASCII character", file.separator);
    }
  }
}

function checkGroupBy(node: GroupBy): void {
  notEmpty(node.keys, "group_by.keys");
  known(GROUP_OUTPUT, node.output, "group_by.output");
  const output = node.output;
  if (output === GroupByOutput.GROUP_BY_OUTPUT_UNSPECIFIED) return;
  if (output === GroupByOutput.GROUP_BY_OUTPUT_AGG) return;
  if (node.aggs.length > 0) {
    fail("group_by.aggs", `be empty for output ${GROUP_OUTPUT.get(output)}`, node.aggs.length);
  }
}

function checkDynamic(node: GroupByDynamic): void {
  name(node.indexColumn, "group_by_dynamic.index_column");
  positive(node.every, "group_by_dynamic.every");
  if (node.period !== undefined) positive(node.period, "group_by_dynamic.period");
  if (node.offset !== undefined) parseDuration(node.offset, "group_by_dynamic.offset");
  known(LABEL, node.label, "group_by_dynamic.label");
  known(CLOSED, node.closed, "group_by_dynamic.closed");
  known(START_BY, node.startBy, "group_by_dynamic.start_by");
}

function checkRolling(node: GroupByRolling): void {
  required(node.indexColumn, "group_by_rolling.index_column");
  if (!isColumn(node.indexColumn)) {
    fail("group_by_rolling.index_column", "be a column", node.indexColumn?.kind?.$case);
  }
  positive(node.period, "group_by_rolling.period");
  if (node.offset !== undefined) parseDuration(node.offset, "group_by_rolling.offset");
  known(CLOSED, node.closed, "group_by_rolling.closed");
}

function checkJoinAsof(node: JoinAsof): void {
  required(node.left, "join_asof.left");
  required(node.right, "join_asof.right");
  if (node.leftOn === "") fail("join_asof.left_on", "not be empty", "");
  if (node.rightOn === "") fail("join_asof.right_on", "not be empty", "");
  names(node.byLeft, "join_asof.by_left");
  names(node.byRight, "join_asof.by_right");
  if (node.byLeft.length !== node.byRight.length) {
    fail(
      "join_asof.by_right",
      `have as many columns as by_left (${node.byLeft.length})`,
      node.byRight.length,
    );
  }
  known(ASOF_STRATEGY, node.strategy, "join_asof.strategy");
  const tolerance = node.tolerance;
  if (tolerance?.$case === "toleranceNumber") {
    if (!(Number.isFinite(tolerance.value) && tolerance.value >= 0)) {
      fail("join_asof.tolerance_number", "be a finite number >= 0", tolerance.value);
    }
  } else if (tolerance?.$case === "toleranceDuration") {
    const d = parseDuration(tolerance.value, "join_asof.tolerance_duration");
    if (d.negative) fail("join_asof.tolerance_duration", "not be negative", tolerance.value);
  }
}

function checkPivot(node: Pivot): void {
  names(node.values, "pivot.values");
  names(node.index, "pivot.index");
  names(node.on, "pivot.on");
  notEmpty(node.on, "pivot.on");
  if (node.values.length === 0 && node.index.length === 0) {
    fail("pivot.index", "not be empty when 'values' is empty", "[]");
  }
  known(PIVOT_AGG, node.aggregate, "pivot.aggregate");
}

function checkJoin(plan: Plan): void {
  if (plan.node?.$case !== "join") return;
  const join = plan.node.value;
  required(join.left, "join.left");
  required(join.right, "join.right");
  known(JOIN_HOW, join.how, "join.how");
  if (join.how === JoinType.JOIN_TYPE_CROSS) {
    if (join.leftOn.length + join.rightOn.length > 0) {
      fail("join.left_on", "be empty for a cross join", join.leftOn.length);
    }
    return;
  }
  notEmpty(join.leftOn, "join.left_on");
  if (join.leftOn.length !== join.rightOn.length) {
    fail(
      "join.right_on",
      `have as many keys as left_on (${join.leftOn.length})`,
      join.rightOn.length,
    );
  }
}

/** Checks one plan node's own fields (its inputs and expressions are checked as nodes). */
export function checkPlanNode(plan: Plan): void {
  const node = plan.node;
  if (node === undefined) fail("plan.node", "be set", "unset");
  switch (node.$case) {
    case "scan": {
      const source = node.value.source;
      if (source === undefined) fail("scan.source", "be set", "unset");
      if (source.$case === "handle" && source.value === "") fail("scan.handle", "not be empty", "");
      if (source.$case === "file") checkFileScan(source.value);
      return;
    }
    case "join":
      return checkJoin(plan);
    case "joinAsof":
      return checkJoinAsof(node.value);
    case "concat":
      notEmpty(node.value.inputs, "concat.inputs");
      known(CONCAT_HOW, node.value.how, "concat.how");
      return;
    case "sql":
      return;
  }
  required(node.value.input, `${node.$case}.input`);
  switch (node.$case) {
    case "filter":
      return required(node.value.predicate, "filter.predicate");
    case "sort": {
      const { by, descending } = node.value;
      notEmpty(by, "sort.by");
      if (descending.length > 1 && descending.length !== by.length) {
        fail("sort.descending", `hold 0, 1 or ${by.length} flags`, descending.length);
      }
      return;
    }
    case "groupBy":
      return checkGroupBy(node.value);
    case "unique":
      known(KEEP, node.value.keep, "unique.keep");
      return names(node.value.subset, "unique.subset");
    case "drop":
      return names(node.value.columns, "drop.columns");
    case "rename":
      names(Object.keys(node.value.mapping), "rename.mapping");
      return names(Object.values(node.value.mapping), "rename.mapping");
    case "cast":
      for (const [column, dtype] of Object.entries(node.value.dtypes)) {
        if (column === "") fail("cast.dtypes", "hold non-empty names", '""');
        checkDataType(dtype, `cast.dtypes[${JSON.stringify(column)}]`);
      }
      return;
    case "unpivot":
      names(node.value.index, "unpivot.index");
      names(node.value.on, "unpivot.on");
      name(node.value.variableName, "unpivot.variable_name");
      return name(node.value.valueName, "unpivot.value_name");
    case "withRowIndex":
      if (node.value.offset > BigInt(MAX_ROWS)) {
        fail("with_row_index.offset", `be at most ${MAX_ROWS}`, node.value.offset);
      }
      return;
    case "dropNulls":
      return names(node.value.subset, "drop_nulls.subset");
    case "unnest":
      notEmpty(node.value.columns, "unnest.columns");
      return names(node.value.columns, "unnest.columns");
    case "pivot":
      return checkPivot(node.value);
    case "statTest":
      return checkStatTest(node.value);
    case "groupByDynamic":
      return checkDynamic(node.value);
    case "groupByRolling":
      return checkRolling(node.value);
  }
}
