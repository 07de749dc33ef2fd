/**
 * The console's page, script and style sheet (services/handles/console/assets/), read once
 * when the service starts and served as they are by the HTTP thread.
 *
 * @module
 */

const FILES = {
  "/console/": ["index.html", "text/html; charset=utf-8"],
  "/console/console.js": ["console.js", "text/javascript; charset=utf-8"],
  "/console/console.css": ["console.css", "text/css; charset=utf-8"],
} as const;

function load(): Record<string, { body: string; contentType: string }> {
  const assets: Record<string, { body: string; contentType: string }> = {};
  for (const [path, [file, contentType]] of Object.entries(FILES)) {
    const body = Deno.readTextFileSync(new URL(`./assets/${file}`, import.meta.url));
    assets[path] = { body, contentType };
  }
  assets["/console"] = assets["/console/"]!;
  return assets;
}

/** The console's files, by the path each is served at. */
export const CONSOLE_ASSETS: Readonly<Record<string, { body: string; contentType: string }>> =
  load();
