/**
 * The public members of nodejs-polars' lazy interfaces, read from its type definitions with
 * the TypeScript compiler (inherited members included).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The interfaces the matrix covers, by the file (under nodejs-polars' bin/) declaring each. */
export const POLARS_INTERFACES = {
  LazyDataFrame: "lazy/dataframe.d.ts",
  LazyGroupBy: "lazy/groupby.d.ts",
  Expr: "lazy/expr/index.d.ts",
  ExprString: "lazy/expr/string.d.ts",
  ExprDateTime: "lazy/expr/datetime.d.ts",
  ExprList: "lazy/expr/list.d.ts",
  ExprStruct: "lazy/expr/struct.d.ts",
} as const;

/** One of the covered interfaces. */
export type PolarsInterface = keyof typeof POLARS_INTERFACES;

/** Where nodejs-polars' typings live (the npm package resolved by the import map). */
export function polarsTypingsDir(): string {
  const entry = fileURLToPath(import.meta.resolve("nodejs-polars"));
  return entry.replace(/\/bin\/[^/]+$/, "/bin");
}

function isPublic(name: string): boolean {
  return !name.startsWith("_") && !name.startsWith("__@");
}

/**
 * Member names of each interface, sorted, plus the top-level functions of bin/lazy/functions
 * (key "pl").
 */
export function polarsMembers(binDir: string = polarsTypingsDir()): Record<string, string[]> {
  const root = `${binDir}/index.d.ts`;
  const program = ts.createProgram([root], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(POLARS_INTERFACES)) {
    const source = program.getSourceFile(`${binDir}/${file}`);
    if (!source) throw new Error(`Cannot read nodejs-polars typings: ${file} is missing`);
    let found: ts.InterfaceDeclaration | undefined;
    ts.forEachChild(source, (node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === name) found = node;
    });
    if (!found) throw new Error(`Cannot find interface ${name} in ${file}`);
    const type = checker.getTypeAtLocation(found);
    out[name] = checker.getPropertiesOfType(type).map((p) => p.name).filter(isPublic).sort();
  }
  const functions = program.getSourceFile(`${binDir}/lazy/functions.d.ts`);
  if (!functions) throw new Error("Cannot read nodejs-polars typings: lazy/functions.d.ts");
  const names = new Set<string>();
  ts.forEachChild(functions, (node) => {
    if (ts.isFunctionDeclaration(node) && node.name && isPublic(node.name.text)) {
      names.add(node.name.text);
    }
  });
  out.pl = [...names].sort();
  return out;
}
