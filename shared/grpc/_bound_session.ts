/**
 * The HTTP/2 session Deno's `node:http2` runs over a socket. Deno's polyfill binds any Duplex
 * it is given (ext/node/polyfills/http2.ts: `socket[kBoundSession] = this`, the symbol from
 * internal/stream_base_commons.ts) and unbinds it once the session is destroyed; the GOAWAY
 * workarounds (docs/adr/0005) reach the session that way.
 *
 * @module
 */

/** What the GOAWAY workarounds use of a Deno HTTP/2 session. */
export interface BoundSession {
  emit(event: string, ...args: unknown[]): boolean;
  ref(): void;
  unref(): void;
  close(callback?: () => void): void;
  goaway(code?: number, lastStreamId?: number, opaqueData?: Uint8Array): void;
  readonly destroyed: boolean;
}

/** The live session bound to `socket`, or undefined (none yet, or no longer). */
export function boundSession(socket: object): BoundSession | undefined {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === "kBoundSession");
  const s = (key === undefined ? undefined : (socket as Record<symbol, unknown>)[key]) as
    | Partial<BoundSession>
    | undefined;
  const usable = typeof s?.emit === "function" && typeof s.ref === "function" &&
    typeof s.unref === "function" && typeof s.close === "function" &&
    typeof s.goaway === "function";
  return usable && !s.destroyed ? s as BoundSession : undefined;
}
