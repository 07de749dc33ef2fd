/**
 * The `engine` option of collect(), toArrow() and the streams, on the wire.
 *
 * @module
 */

import { Engine } from "../../shared/gen/polaroid/v1/dataframe.ts";
import type { EngineChoice } from "./session.ts";

const ENGINES: Readonly<Record<EngineChoice, Engine>> = {
  "auto": Engine.ENGINE_UNSPECIFIED,
  "streaming": Engine.ENGINE_STREAMING,
  "in-memory": Engine.ENGINE_IN_MEMORY,
};

/** The wire engine of `engine`; TypeError naming `method` for anything else. */
export function wireEngine(method: string, engine: EngineChoice | undefined): Engine {
  if (engine === undefined) return Engine.ENGINE_UNSPECIFIED;
  const wire = Object.hasOwn(ENGINES, engine) ? ENGINES[engine] : undefined;
  if (wire === undefined) {
    throw new TypeError(
      `Cannot ${method} as 'engine' must be "auto", "streaming" or "in-memory": current value is ${
        JSON.stringify(engine)
      }`,
    );
  }
  return wire;
}
