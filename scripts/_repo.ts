/**
 * Where the repository is, for scripts that run tools in it.
 *
 * @module
 */

/** The repository root (the parent of scripts/), without a trailing slash. */
export const REPO_ROOT: string = decodeURIComponent(new URL("..", import.meta.url).pathname)
  .replace(/\/$/, "");
