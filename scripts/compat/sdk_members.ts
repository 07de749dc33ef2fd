/**
 * What the SDK offers and what the compatibility cases test: member names of the SDK
 * classes that stand for nodejs-polars' interfaces, and the `covers` of every case in
 * tests/compat/.
 *
 * @module
 */

import pl, { Expr, RemoteLazyFrame, RemoteLazyGroupBy } from "../../sdk/mod.ts";
import { ExprDateTime } from "../../sdk/expr/datetime.ts";
import { ExprList } from "../../sdk/expr/list.ts";
import { ExprString } from "../../sdk/expr/string.ts";
import { ExprStruct } from "../../sdk/expr/struct.ts";
import { REPO_ROOT } from "../_repo.ts";
import type { PolarsInterface } from "./polars_members.ts";

/** The SDK class standing for each nodejs-polars interface. */
const SDK_CLASSES: Readonly<Record<PolarsInterface, { prototype: object }>> = {
  LazyDataFrame: RemoteLazyFrame,
  LazyGroupBy: RemoteLazyGroupBy,
  Expr,
  ExprString,
  ExprDateTime,
  ExprList,
  ExprStruct,
};

/** The SDK class name standing for a nodejs-polars interface ("pl" for top-level functions). */
export function sdkClassName(iface: string): string {
  if (iface === "pl") return "pl";
  const cls = SDK_CLASSES[iface as PolarsInterface] as unknown as { name: string } | undefined;
  return cls?.name ?? iface;
}

function publicNames(prototype: object): Set<string> {
  const names = new Set<string>();
  for (
    let proto: object | null = prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== "constructor" && !name.startsWith("_")) names.add(name);
    }
  }
  return names;
}

/** Member names per interface (and "pl": the keys of the SDK's `pl` namespace). */
export function sdkMembers(): Record<string, Set<string>> {
  const out: Record<string, Set<string>> = {};
  for (const [iface, cls] of Object.entries(SDK_CLASSES)) out[iface] = publicNames(cls.prototype);
  out.pl = new Set(Object.keys(pl));
  return out;
}

/** The directory of the compatibility cases. */
export const CASES_DIR = `${REPO_ROOT}/tests/compat`;

/** How many cases cover each "<Interface>.<member>" name, read from every case module. */
export async function testedMembers(dir: string = CASES_DIR): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const files = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_"))
    .map((e) => e.name)
    .sort();
  for (const file of files) {
    const module: Record<string, unknown> = await import(`file://${dir}/${file}`);
    for (const value of Object.values(module)) {
      if (!Array.isArray(value)) continue;
      for (const item of value) {
        const covers = (item as { covers?: unknown })?.covers;
        if (!Array.isArray(covers)) continue;
        for (const name of covers) {
          if (typeof name === "string") counts.set(name, (counts.get(name) ?? 0) + 1);
        }
      }
    }
  }
  return counts;
}
