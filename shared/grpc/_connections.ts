/**
 * The TCP side of a gRPC server: accepts connections and hands each to grpc-js through the
 * GOAWAY filter (goaway_filter.ts), and keeps them for the drain.
 *
 * @module
 */

import net from "node:net";
import type { Duplex } from "node:stream";
import { boundSession } from "./_bound_session.ts";
import { withoutGoaway } from "./goaway_filter.ts";

/** The highest stream id: a GOAWAY naming it refuses nothing (RFC 9113 §6.8). */
const LAST_POSSIBLE_STREAM = 2 ** 31 - 1;

/** The accepted connections of a server. */
export interface Connections {
  readonly port: number;
  /**
   * Stops accepting, and sends every connection a shutdown notice: a GOAWAY with the
   * highest stream id. Clients open no more streams on it, while the streams already on
   * their way are still taken (a final GOAWAY, with the last stream taken, follows).
   */
  stopAccepting(): void;
  /** Resolves once every connection is closed, or after `ms`. */
  closed(ms: number): Promise<void>;
}

/** Listens on `host:port` (0 picks a free port); each connection goes to `inject`. */
export async function acceptConnections(
  host: string,
  port: number,
  inject: (connection: Duplex) => void,
): Promise<Connections> {
  const open = new Map<net.Socket, Duplex>();
  const disconnected: Array<() => void> = [];
  const listener = net.createServer((socket) => {
    const connection = withoutGoaway(socket);
    open.set(socket, connection);
    socket.once("close", () => {
      open.delete(socket);
      if (open.size === 0) { for (const wake of disconnected.splice(0)) wake(); }
    });
    inject(connection);
  });
  const bound = await new Promise<number>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(port, host, () => {
      listener.off("error", reject);
      resolve((listener.address() as net.AddressInfo).port);
    });
  });
  return {
    port: bound,
    stopAccepting() {
      listener.close();
      for (const connection of open.values()) {
        boundSession(connection)?.goaway(0, LAST_POSSIBLE_STREAM);
      }
    },
    async closed(ms) {
      if (open.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => disconnected.push(resolve)),
        new Promise<void>((resolve) => timer = setTimeout(resolve, ms)),
      ]);
      clearTimeout(timer);
    },
  };
}
