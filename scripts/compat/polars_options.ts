/**
 * The options of nodejs-polars' lazy API, read from its type definitions with the TypeScript
 * compiler: for every method of the covered interfaces, every top-level lazy function and the
 * scans, the property names of each parameter whose type is an options object (an object
 * type that is not a frame, an expression, a series, a data type, an array or a function;
 * unions and intersections merged). The option audit (tests/option_audit_test.ts) holds the
 * SDK to an answer for each one.
 *
 * @module
 */

import ts from "typescript";
import { POLARS_INTERFACES, polarsTypingsDir } from "./polars_members.ts";

/** Types that are values, not options objects. */
const VALUE_TYPES =
  /^(Expr|Series|DataFrame|LazyDataFrame|_?LazyDataFrame|Date|RegExp|Map|Set|Buffer|Uint8Array|(Ui|I)nt\d+Array|Float\d+Array|Promise|DataType.*|Field|String|Number|Boolean|Array|ReadonlyArray)$/;

/** The scans of bin/io.d.ts, by the name the SDK's client gives each. */
export const POLARS_SCANS: Readonly<Record<string, string>> = {
  scanCSV: "scanCsv",
  scanParquet: "scanParquet",
  scanIPC: "scanIpc",
  scanJson: "scanJson",
};

/**
 * Option names per method, keyed `<Interface>.<method>` (`pl.<function>` for top-level
 * functions and scans), each list sorted.
 */
export function polarsOptions(binDir: string = polarsTypingsDir()): Record<string, string[]> {
  const program = ts.createProgram([`${binDir}/index.d.ts`], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out: Record<string, Set<string>> = {};
  const add = (key: string, names: readonly string[]) => {
    const set = (out[key] ??= new Set());
    for (const name of names) set.add(name);
  };

  const optionNames = (type: ts.Type, seen: Set<ts.Type>): string[] => {
    if (seen.has(type)) return [];
    seen.add(type);
    const t = checker.getNonNullableType(type);
    if (t.isUnion() || t.isIntersection()) {
      return [...new Set(t.types.flatMap((part) => optionNames(part, seen)))];
    }
    if (!(t.flags & ts.TypeFlags.Object)) return [];
    if (checker.isArrayType(t) || checker.isTupleType(t)) return [];
    if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) return [];
    const name = t.aliasSymbol?.name ?? t.getSymbol()?.name ?? "";
    if (VALUE_TYPES.test(name)) return [];
    const properties = checker.getPropertiesOfType(t).filter((p) => !p.name.startsWith("_"));
    // An instance of a class (a frame, an expression): it has methods, options have none.
    const methods = properties.filter((p) =>
      checker.getTypeOfSymbol(p).getCallSignatures().length > 0
    );
    if (methods.length > 2) return [];
    return properties.map((p) => p.name);
  };

  const fromSignature = (key: string, signature: ts.Signature) => {
    for (const parameter of signature.getParameters()) {
      const names = optionNames(checker.getTypeOfSymbol(parameter), new Set());
      if (names.length > 0) add(key, names);
    }
  };

  /** A signature of a top-level function that builds an eager result (a Series, a number). */
  const eager = (signature: ts.Signature): boolean => {
    const returned = checker.getReturnTypeOfSignature(signature);
    const name = returned.aliasSymbol?.name ?? returned.getSymbol()?.name ?? "";
    const primitive = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike |
      ts.TypeFlags.StringLike | ts.TypeFlags.BigIntLike;
    return /^(Series|DataFrame)$/.test(name) || (returned.flags & primitive) !== 0;
  };

  for (const [iface, file] of Object.entries(POLARS_INTERFACES)) {
    const source = program.getSourceFile(`${binDir}/${file}`);
    if (!source) throw new Error(`Cannot read nodejs-polars typings: ${file} is missing`);
    let found: ts.InterfaceDeclaration | undefined;
    ts.forEachChild(source, (node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === iface) found = node;
    });
    if (!found) throw new Error(`Cannot find interface ${iface} in ${file}`);
    for (const member of checker.getPropertiesOfType(checker.getTypeAtLocation(found))) {
      if (member.name.startsWith("_")) continue;
      for (const signature of checker.getTypeOfSymbol(member).getCallSignatures()) {
        fromSignature(`${iface}.${member.name}`, signature);
      }
    }
  }

  const functions = (file: string, only?: (name: string) => boolean) => {
    const source = program.getSourceFile(`${binDir}/${file}`);
    if (!source) throw new Error(`Cannot read nodejs-polars typings: ${file} is missing`);
    ts.forEachChild(source, (node) => {
      if (!ts.isFunctionDeclaration(node) || !node.name || node.name.text.startsWith("_")) return;
      if (only && !only(node.name.text)) return;
      const signature = checker.getSignatureFromDeclaration(node);
      if (signature && !eager(signature)) fromSignature(`pl.${node.name.text}`, signature);
    });
  };
  functions("lazy/functions.d.ts");
  functions("functions.d.ts", (name) => name === "concat");
  functions("io.d.ts", (name) => name in POLARS_SCANS);

  return Object.fromEntries(
    Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]),
  );
}
