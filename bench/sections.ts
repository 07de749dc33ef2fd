/**
 * docs/benchmarks.md is written by several benchmarks: `deno task bench` renders the main
 * part, and each other benchmark owns one marked section
 * (`<!-- section:NAME -->` … `<!-- /section:NAME -->`) that it replaces in place.
 *
 * @module
 */

/** The benchmarks report. */
export const BENCHMARKS_MD = new URL("../docs/benchmarks.md", import.meta.url);

const PATTERN = /<!-- section:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/section:\1 -->\n?/g;

/** The marked sections of a report, in order, each with its markers. */
export function sections(markdown: string): string[] {
  return [...markdown.matchAll(PATTERN)].map((m) => m[0].endsWith("\n") ? m[0] : `${m[0]}\n`);
}

/** `markdown` with the section `name` set to `body` (appended when it is new). */
export function withSection(markdown: string, name: string, body: string): string {
  const block = `<!-- section:${name} -->\n${body.trimEnd()}\n<!-- /section:${name} -->\n`;
  let replaced = false;
  const out = markdown.replace(PATTERN, (whole, found: string) => {
    if (found !== name) return whole;
    replaced = true;
    return block;
  });
  if (replaced) return out;
  return `${out.trimEnd()}\n\n${block}`;
}

/** Replaces (or appends) one section of docs/benchmarks.md. */
export async function writeSection(name: string, body: string): Promise<void> {
  const current = await Deno.readTextFile(BENCHMARKS_MD).catch(() => "# Benchmarks\n");
  await Deno.writeTextFile(BENCHMARKS_MD, withSection(current, name, body));
}
