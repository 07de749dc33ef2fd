/**
 * Wrong results of nodejs-polars' examples through the SDK that are known and tolerated for
 * now, by example id, each with why. tests/compat_examples_test.ts holds the wrong results
 * to exactly this list: a new one fails, and so does one that no longer happens (remove it).
 *
 * @module
 */

/** Known wrong results: example id → the difference and what ends it. */
export const KNOWN_WRONG_RESULTS: Readonly<Record<string, string>> = {};
