/**
 * The examples of nodejs-polars' own typings: the code of every example in the JSDoc of the
 * members of the lazy interfaces the matrix covers, and of the top-level functions.
 *
 * An example is the code of one doc comment: its fenced blocks (or, when `@example` is
 * followed by no fence, the text up to the next tag). The blocks of one comment share their
 * variables, as a console session does. In a block, a line is
 * - code when it has a console prompt (`>`, `>>>`, `...`), which is removed;
 * - output when it starts a printed frame or series (`shape:`, `Series:`, a box-drawing
 *   character), or lies inside a printed series' `[ ... ]`;
 * - prose when, without a prompt, it reads as a sentence (two or more words, starting with a
 *   letter, with no brackets, braces, quotes, `=` or `;`) or is a rule of dashes;
 * - code otherwise (examples written without prompts).
 *
 * @module
 */

import ts from "typescript";
import { POLARS_INTERFACES, polarsTypingsDir } from "./polars_members.ts";

/** One example, as written in the typings. */
export interface DocExample {
  /** "<Interface>.<member>", with "#<n>" from the second example of one member on. */
  id: string;
  /** The interface ("pl" for top-level functions). */
  interface: string;
  member: string;
  /** The example's text (fenced blocks or `@example` text, comment markers removed). */
  text: string;
  /** The code lines, prompts removed, output and prose dropped. */
  code: string;
}

const OUTPUT = /^(shape:|Series:|[┌│╞├└╭╰╌═┆─┬┴┼╪╡╮╯┐┘|])/;
const PROMPT = /^(>>>|>>|>|\.\.\.)/;

function isProse(line: string): boolean {
  if (/^-{2,}$/.test(line)) return true;
  if (line.startsWith("//")) return false;
  return /^[A-Za-z]/.test(line) && line.split(/\s+/).length >= 2 && !/[(){}[\]=;"']/.test(line);
}

/** The code of example text: prompts removed, output and prose dropped. */
export function codeOf(text: string): string {
  const code: string[] = [];
  let inSeries = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (inSeries) {
      if (line === "]") inSeries = false;
      continue;
    }
    const prompted = PROMPT.test(line);
    const body = prompted ? line.replace(PROMPT, "").trim() : line;
    if (body.startsWith("Series:")) {
      inSeries = true;
      continue;
    }
    if (OUTPUT.test(body)) continue;
    if (!prompted && isProse(body)) continue;
    code.push(prompted ? raw.replace(/^\s*(>>>|>>|>|\.\.\.)/, "") : raw);
  }
  return code.join("\n").replace(/^\s*\n/, "").trimEnd();
}

/** The lines of a doc comment without its markers and each line's leading `*`. */
function commentLines(comment: string): string[] {
  return comment.replace(/^\/\*+/, "").replace(/\*\/$/, "").split("\n").map((line) =>
    line.replace(/^\s*\*(?!\*)/, "")
  );
}

/** The example text of one doc comment, or undefined when it has none. */
export function exampleText(comment: string): string | undefined {
  const lines = commentLines(comment);
  const fences = lines.flatMap((line, i) => line.trim().startsWith("```") ? [i] : []);
  const blocks: string[][] = [];
  for (let f = 0; f < fences.length; f += 2) {
    const end = fences[f + 1] ?? lines.length;
    blocks.push(lines.slice(fences[f]! + 1, end));
  }
  const tag = lines.findIndex((line) => line.trim().startsWith("@example"));
  if (tag >= 0 && !fences.some((f) => f > tag)) {
    const rest = lines.slice(tag + 1);
    const next = rest.findIndex((line) => /^@\w/.test(line.trim()));
    const first = lines[tag]!.trim().replace(/^@example/, "");
    blocks.push([first, ...(next < 0 ? rest : rest.slice(0, next))]);
  }
  if (blocks.length === 0) return undefined;
  return blocks.map((b) => b.join("\n")).join("\n");
}

function docComments(node: ts.Node): string[] {
  const source = node.getSourceFile();
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  return ranges.map((r) => source.text.slice(r.pos, r.end)).filter((c) => c.startsWith("/**"));
}

/**
 * Every example of the covered interfaces' members (inherited ones included, each comment
 * once) and of the top-level functions, in the typings' order.
 */
export function docExamples(binDir: string = polarsTypingsDir()): DocExample[] {
  const program = ts.createProgram([`${binDir}/index.d.ts`], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Node>();
  const found: Omit<DocExample, "id">[] = [];
  const collect = (iface: string, member: string, node: ts.Node) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const comment of docComments(node)) {
      const text = exampleText(comment);
      if (text !== undefined) found.push({ interface: iface, member, text, code: codeOf(text) });
    }
  };
  for (const [name, file] of Object.entries(POLARS_INTERFACES)) {
    const source = program.getSourceFile(`${binDir}/${file}`);
    if (!source) throw new Error(`Cannot read nodejs-polars typings: ${file} is missing`);
    let declaration: ts.InterfaceDeclaration | undefined;
    ts.forEachChild(source, (node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === name) declaration = node;
    });
    if (!declaration) throw new Error(`Cannot find interface ${name} in ${file}`);
    for (const symbol of checker.getPropertiesOfType(checker.getTypeAtLocation(declaration))) {
      if (symbol.name.startsWith("_")) continue;
      for (const node of symbol.declarations ?? []) collect(name, symbol.name, node);
    }
  }
  const functions = program.getSourceFile(`${binDir}/lazy/functions.d.ts`);
  if (!functions) throw new Error("Cannot read nodejs-polars typings: lazy/functions.d.ts");
  ts.forEachChild(functions, (node) => {
    if (ts.isFunctionDeclaration(node) && node.name && !node.name.text.startsWith("_")) {
      collect("pl", node.name.text, node);
    }
  });
  const counts = new Map<string, number>();
  return found.map((e) => {
    const key = `${e.interface}.${e.member}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return { id: n === 1 ? key : `${key}#${n}`, ...e };
  });
}
