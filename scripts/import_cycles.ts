/**
 * `deno task cycles`: the import graph of the repository's own TypeScript files (generated
 * code under shared/gen/ left out) and the cycles in it. Every import counts, `import type`
 * too: a type-only cycle still ties two rooms together. Prints each cycle (a strongly
 * connected component of more than one file, or a file importing itself) with one import
 * path around it, and exits 1 when there is any; tests/import_graph_test.ts runs it.
 *
 * @module
 */

import ts from "typescript";
import { REPO_ROOT } from "./_repo.ts";

/** Directories never read (dependencies, generated code, outputs). */
const SKIP = new Set([
  "node_modules",
  ".git",
  ".scratch",
  "gen",
  "results",
  "tools",
  "clients",
]);

/** Every .ts file under `root` (relative paths, sorted). */
export async function sourceFiles(root: string, dir = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${root}/${dir}`)) {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      if (!SKIP.has(entry.name) && !entry.name.startsWith(".")) {
        files.push(...await sourceFiles(root, path));
      }
    } else if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      files.push(path);
    }
  }
  return files.sort();
}

/** The repository files a source text imports (relative specifiers only), resolved. */
export function importsOf(path: string, text: string): string[] {
  const found = ts.preProcessFile(text, true, true).importedFiles;
  const base = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const out = new Set<string>();
  for (const { fileName } of found) {
    if (!fileName.startsWith("./") && !fileName.startsWith("../")) continue;
    out.add(normalize(base === "" ? fileName : `${base}/${fileName}`));
  }
  return [...out];
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/** The import graph: file → the repository files it imports. */
export async function importGraph(root: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles(root)) {
    const text = await Deno.readTextFile(`${root}/${file}`);
    graph.set(file, importsOf(file, text));
  }
  return graph;
}

/**
 * The cycles of a graph: its strongly connected components of more than one node, and the
 * nodes that import themselves (Tarjan's algorithm, iterative so that deep graphs do not
 * exhaust the stack).
 */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = (graph.get(frame.node) ?? []).filter((to) => graph.has(to));
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) found.push(component.sort());
      }
    }
  }
  return found.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

/** One import path around a cycle, from its first file back to it. */
export function pathAround(
  graph: ReadonlyMap<string, readonly string[]>,
  component: readonly string[],
): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== start && at !== undefined;) {
          path.splice(1, 0, at);
          at = previous.get(at);
        }
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

if (import.meta.main) {
  const graph = await importGraph(REPO_ROOT);
  const found = cycles(graph);
  const edges = [...graph.values()].reduce((sum, to) => sum + to.length, 0);
  if (found.length === 0) {
    console.log(`No import cycles among ${graph.size} files (${edges} imports).`);
    Deno.exit(0);
  }
  for (const component of found) {
    console.log(`Cycle of ${component.length} files:`);
    for (const file of component) console.log(`  ${file}`);
    console.log(`  one path: ${pathAround(graph, component).join(" → ")}`);
  }
  console.log(`${found.length} import cycles among ${graph.size} files (${edges} imports).`);
  Deno.exit(1);
}
