/**
 * The "Options" section of docs/compat.md: how many of nodejs-polars' options the SDK honours
 * and refuses (sdk/option_audit.ts, held to the typings by tests/option_audit_test.ts), and
 * every refusal with its reason.
 *
 * @module
 */

import { OPTION_AUDIT } from "../../sdk/option_audit.ts";

/** The heading of the section. */
export const OPTIONS_HEADING = "## Options";

/** Markdown of the section. */
export function renderOptions(): string {
  const rows: string[] = [];
  let honoured = 0;
  let refused = 0;
  for (const [method, entry] of Object.entries(OPTION_AUDIT).sort(([a], [b]) => a < b ? -1 : 1)) {
    honoured += entry.honoured?.length ?? 0;
    for (const [name, why] of Object.entries(entry.refused ?? {}).sort()) {
      refused++;
      const inert = entry.inert && name in entry.inert
        ? ` (\`${JSON.stringify(entry.inert[name])}\`, nodejs-polars' default, passes)`
        : "";
      rows.push(`| \`${method}\` | \`${name}\` | ${why}${inert} |`);
    }
  }
  return [
    OPTIONS_HEADING,
    "",
    "Every option nodejs-polars' typings accept, for every method the SDK has, is either honoured",
    "(run on the server with nodejs-polars' meaning, and covered by a compatibility case named",
    "`<Interface>.<method>.<option>`) or refused with a TypeError that names it; none is dropped.",
    "`tests/option_audit_test.ts` reads the typings and fails on an option that is neither.",
    "",
    `**${honoured} options honoured, ${refused} refused.**`,
    "",
    "| method | option | refused because |",
    "|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
