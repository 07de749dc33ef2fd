/**
 * Channel credentials that read every client connection through a GoawayShield, so that a
 * server's GOAWAY never reaches Deno's HTTP/2 layer (denoland/deno#36788, docs/adr/0005)
 * while the client still acts on it.
 *
 * grpc-js lets credentials wrap the connected socket (`_createSecureConnector().connect`);
 * these wrap whatever socket the inner credentials return (plain TCP, or TLS later), so they
 * compose with any of them. When the shield drops a GOAWAY it emits the 'goaway' event on the
 * connection's HTTP/2 session, as Deno would have: grpc-js then stops picking the connection
 * (new calls open a new one) and lets the calls on it finish. Streams the server will not
 * process are refused with REFUSED_STREAM, which grpc-js retries transparently.
 *
 * ```ts
 * const client = new grpc.Client(endpoint, shieldedCredentials());
 * ```
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { isIP, type Socket } from "node:net";
import { type ShieldObserver, shieldSocket, type ShieldSocketOptions } from "./shielded_socket.ts";

export type { ShieldObserver };

type SecureConnector = ReturnType<grpc.ChannelCredentials["_createSecureConnector"]>;
type ConnectorArgs = Parameters<grpc.ChannelCredentials["_createSecureConnector"]>;

/** Options of shieldedCredentials(). */
export interface ShieldedCredentialsOptions {
  /** The credentials whose connections are shielded. @default grpc.credentials.createInsecure() */
  inner?: grpc.ChannelCredentials;
  /** Told of every GOAWAY dropped. @default none */
  observer?: ShieldObserver;
  /** See ShieldSocketOptions.useSession. @default true */
  useSession?: boolean;
}

/** The observer of credentials made without one: one object, so that they are all equal. */
const NO_OBSERVER: ShieldObserver = Object.freeze({});

/** Credentials like `options.inner`'s, with every connection read through a GoawayShield. */
export function shieldedCredentials(
  options: ShieldedCredentialsOptions = {},
): grpc.ChannelCredentials {
  return new ShieldedCredentials(options.inner ?? grpc.credentials.createInsecure(), {
    observer: options.observer ?? NO_OBSERVER,
    useSession: options.useSession ?? true,
  });
}

class ShieldedCredentials extends grpc.ChannelCredentials {
  readonly #inner: grpc.ChannelCredentials;
  readonly #options: Required<ShieldSocketOptions>;

  constructor(inner: grpc.ChannelCredentials, options: Required<ShieldSocketOptions>) {
    super();
    this.#inner = inner;
    this.#options = options;
  }

  override _isSecure(): boolean {
    return this.#inner._isSecure();
  }

  // Equal credentials share connections (grpc-js's subchannel pool).
  override _equals(other: grpc.ChannelCredentials): boolean {
    return other === this ||
      (other instanceof ShieldedCredentials &&
        other.#options.observer === this.#options.observer &&
        other.#options.useSession === this.#options.useSession &&
        other.#inner._equals(this.#inner));
  }

  override _createSecureConnector(...args: ConnectorArgs): SecureConnector {
    const inner = this.#inner._createSecureConnector(...args);
    withoutIpServername(inner);
    const options = this.#options;
    return {
      async connect(socket) {
        const connected = await inner.connect(socket);
        return {
          socket: shieldSocket(connected.socket, options) as Socket,
          secure: connected.secure,
        };
      },
      waitForReady: () => inner.waitForReady(),
      getCallCredentials: () => inner.getCallCredentials(),
      destroy: () => inner.destroy(),
    };
  }
}

/**
 * TLS to an IP address: grpc-js sends the target's host as the SNI server name even when it
 * is an IP address, which Deno's `tls.connect` refuses (ERR_INVALID_ARG_VALUE; SNI takes host
 * names only). The server name is dropped then: the certificate is still checked against the
 * IP address (`host`), through its subjectAltName IP entries.
 */
function withoutIpServername(connector: unknown): void {
  const options = (connector as { connectionOptions?: { servername?: string } })
    .connectionOptions;
  if (options?.servername !== undefined && isIP(options.servername) !== 0) {
    delete options.servername;
  }
}
