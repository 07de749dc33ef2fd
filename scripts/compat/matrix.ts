/**
 * The compatibility matrix: every member of nodejs-polars' lazy interfaces, whether the SDK
 * has it, how many compatibility cases test it, and why not when it is missing.
 *
 * @module
 */

import { DIFFERENCES, UNSUPPORTED } from "./notes.ts";
import { polarsMembers } from "./polars_members.ts";
import { sdkClassName, sdkMembers, testedMembers } from "./sdk_members.ts";

/** "supported": in the SDK and tested remote against in-process. */
export type Status = "supported" | "untested" | "not supported";

/** One row of the matrix. */
export interface MatrixRow {
  member: string;
  status: Status;
  /** Compatibility cases covering it. */
  cases: number;
  note: string;
}

/** One nodejs-polars interface and its SDK counterpart. */
export interface MatrixSection {
  interface: string;
  sdk: string;
  rows: MatrixRow[];
}

/** The whole matrix. */
export interface Matrix {
  nodejsPolars: string;
  sections: MatrixSection[];
}

/**
 * Namespace accessors of Expr: every case of a namespace's methods goes through its
 * accessor, so those cases count for it too.
 */
const ACCESSORS: Readonly<Record<string, string>> = {
  "Expr.str": "ExprString.",
  "Expr.dt": "ExprDateTime.",
  "Expr.lst": "ExprList.",
  "Expr.struct": "ExprStruct.",
};

function casesOf(key: string, tested: ReadonlyMap<string, number>): number {
  const own = tested.get(key) ?? 0;
  const prefix = ACCESSORS[key];
  if (prefix === undefined) return own;
  let through = 0;
  for (const [name, n] of tested) if (name.startsWith(prefix)) through += n;
  return own + through;
}

/** Rows of a section, and how many are supported. */
export function tally(rows: readonly MatrixRow[]): { supported: number; total: number } {
  return { supported: rows.filter((r) => r.status === "supported").length, total: rows.length };
}

/** Builds the matrix from the typings, the SDK and the cases. */
export async function buildMatrix(nodejsPolars: string): Promise<Matrix> {
  const polars = polarsMembers();
  const sdk = sdkMembers();
  const tested = await testedMembers();
  const sections: MatrixSection[] = [];
  for (const [iface, members] of Object.entries(polars)) {
    const have = sdk[iface] ?? new Set<string>();
    const rows = members.map((member): MatrixRow => {
      const key = `${iface}.${member}`;
      const cases = casesOf(key, tested);
      const inSdk = have.has(member);
      const status: Status = !inSdk ? "not supported" : cases > 0 ? "supported" : "untested";
      const note = inSdk ? DIFFERENCES[key] ?? "" : UNSUPPORTED[key] ?? "";
      return { member, status, cases, note };
    });
    sections.push({ interface: iface, sdk: sdkClassName(iface), rows });
  }
  return { nodejsPolars, sections };
}
