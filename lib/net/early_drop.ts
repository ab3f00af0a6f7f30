/**
 * `client --retry` after connecting: a connection the server closes or resets before any
 * byte moved either way (nothing received, nothing written, no FIN sent) is as good as
 * refused, so it may be tried again without ever replaying what was sent. Once anything
 * moved, a drop is the connection's error, as without `--retry`.
 * @module
 */

import { quote } from "../output/format.ts";
import type { Endpoint } from "./endpoint.ts";

/** A connection that ended before any data moved (retryable). */
export class EarlyDropError extends Error {
  override name = "EarlyDropError";
  /** `closed before any data moved`, for the `retry` event. */
  readonly reason: string;

  constructor(peer: string, reason: string, options?: ErrorOptions) {
    super(`Connection to ${quote(peer)} ${reason}`, options);
    this.reason = reason;
  }
}

/** An endpoint that says whether it dropped before anything moved. */
export interface DropWatch {
  /** `remote`, watched. */
  endpoint: Endpoint;
  /** Aborted, with an `EarlyDropError`, when the peer ended before anything moved. */
  dropped: AbortSignal;
}

/** Watches `remote` until something moves or the peer ends first. */
export function watchEarlyDrop(remote: Endpoint): DropWatch {
  const controller = new AbortController();
  let moved = false;
  const drop = (reason: string, cause?: unknown) => {
    if (moved || controller.signal.aborted) return;
    controller.abort(new EarlyDropError(remote.name, reason, { cause }));
  };
  return {
    dropped: controller.signal,
    endpoint: {
      name: remote.name,
      async read(buf) {
        let n: number | null;
        try {
          n = await remote.read(buf);
        } catch (error) {
          drop("was reset before any data moved", error);
          throw error;
        }
        if (n === null) drop("was closed before any data moved");
        else if (n > 0) moved = true;
        return n;
      },
      write(data, onProgress) {
        moved = true;
        return remote.write(data, onProgress);
      },
      closeWrite() {
        moved = true;
        return remote.closeWrite();
      },
      close: () => remote.close(),
    },
  };
}
