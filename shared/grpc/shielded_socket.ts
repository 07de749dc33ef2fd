/**
 * A grpc-js client connection read through a GoawayShield (goaway_shield.ts): what
 * shieldedCredentials() hands grpc-js instead of the connected socket.
 *
 * The shield needs three things of Deno's HTTP/2 session (found on the socket under the
 * symbol `kBoundSession`, ext/node/polyfills/http2.ts, which binds any Duplex it runs on):
 *
 * - The 'goaway' event. When the shield drops a GOAWAY it emits the event on the session, as
 *   Deno would have: grpc-js's transport then reports the connection gone (its subchannel
 *   goes IDLE, new calls open a new connection) and lets the calls on it finish.
 * - Its `ref()`/`unref()`: grpc-js refs the session while it has calls and unrefs it when the
 *   last one has ended, i.e. when the reader took the last message and the status.
 * - Its `close()`, which grpc-js calls as soon as the transport is gone. Deno's session then
 *   sends its own GOAWAY, and once nghttp2 has no stream left it closes every stream object,
 *   dropping messages that arrived but that a slow reader has not taken yet: the call then
 *   hangs or fails with "Connection dropped". The close is therefore put off until grpc-js
 *   has no call left on the session.
 *
 * For the same reason, when the server closes the connection once its streams are done (the
 * end of a drain), the duplex reports its 'close' (which ends the session) only once
 * grpc-js has no call left, provided the server sent a GOAWAY (so grpc-js picks the
 * connection no more) and every HTTP/2 stream had ended. A connection lost otherwise (an
 * error, a reset, a close without GOAWAY, streams left open) is reported at once, and its
 * calls fail as they should: held back, a connection whose GOAWAY was lost in a reset would
 * still be picked for new calls, which would wait for their deadline.
 *
 * Without the session (a runtime that stores it elsewhere), the shield still drops GOAWAY
 * and refuses streams; the client then learns of the drain from refused streams and from
 * the server closing the connection.
 *
 * @module
 */

import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type BoundSession, boundSession } from "./_bound_session.ts";
import { filterSocket } from "./filtered_socket.ts";
import { type GoawayInfo, GoawayShield } from "./goaway_shield.ts";

/** What a shielded connection reports. */
export interface ShieldObserver {
  /**
   * A GOAWAY was dropped. `notified` says whether the HTTP/2 session got the 'goaway' event
   * (false when no live session was found on the socket).
   */
  goaway?(info: GoawayInfo & { notified: boolean }): void;
}

/** Options of shieldSocket(). */
export interface ShieldSocketOptions {
  /** Told of every GOAWAY dropped. @default none */
  observer?: ShieldObserver;
  /**
   * Uses Deno's session as described above; false leaves it alone (the fallback, kept to
   * measure what the session buys, docs/adr/0005). @default true
   */
  useSession?: boolean;
}

/** `socket` read through a GoawayShield (see the module documentation). */
export function shieldSocket(socket: Socket, options: ShieldSocketOptions = {}): Duplex {
  const observer = options.observer ?? {};
  const find = options.useSession === false ? () => undefined : boundSession;
  let watched = false;
  /** grpc-js has calls on the session. */
  let busy = false;
  /** What waits for grpc-js to have no call left. */
  let whenIdle: Array<() => void> = [];
  const idle = () => {
    const waiting = whenIdle;
    whenIdle = [];
    for (const run of waiting) run();
  };
  /** Wraps the session's ref, unref and close (once, at the first write). */
  const watch = () => {
    if (watched) return;
    const session = find(filtered.duplex);
    if (session === undefined) return;
    watched = true;
    const { ref, unref, close } = session;
    Object.assign(session, {
      ref(this: BoundSession) {
        busy = true;
        ref.call(this);
      },
      unref(this: BoundSession) {
        busy = false;
        unref.call(this);
        idle();
      },
      close(this: BoundSession, callback?: () => void) {
        if (busy) whenIdle.push(() => close.call(this, callback));
        else close.call(this, callback);
      },
    });
  };
  let flushing = false;
  /** Gives back the connection window of dropped DATA, between two outbound frames. */
  const credit = () => {
    const update = shield.takeWindowUpdate();
    if (update) filtered.inject(update);
  };
  const filtered = filterSocket(socket, {
    inbound(chunk) {
      shield.inbound(chunk);
      credit();
    },
    written: credit,
    outbound(chunk) {
      watch();
      shield.outbound(chunk);
      // Refusals of new streams go in on the next tick: not from inside the session's own
      // write, and only between two inbound frames (the shield waits for one).
      if (shield.pendingRefusals > 0 && !flushing) {
        flushing = true;
        process.nextTick(() => {
          flushing = false;
          shield.flush();
        });
      }
    },
    end: () => shield.flush(),
    closing(done, error) {
      const drained = error === null && shield.goaways > 0 && shield.openStreams === 0;
      if (drained && busy) whenIdle.unshift(done);
      else done();
    },
  });
  const shield = new GoawayShield({
    deliver: filtered.deliver,
    goaway(info) {
      // Before the refusals are delivered: a refused call retried at once must not be
      // picked onto this connection again.
      watch();
      const live = find(filtered.duplex);
      live?.emit("goaway", info.errorCode, info.lastStreamId, info.debugData);
      observer.goaway?.({ ...info, notified: live !== undefined });
    },
  });
  return filtered.duplex;
}
