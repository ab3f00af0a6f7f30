/**
 * Maps the errors the OS gives us to short reasons, and rewrites them into the one-line
 * message users see (`Cannot connect to "127.0.0.1:1": connection refused`), keeping
 * the error's class so the CLI can map it to an exit code.
 * @module
 */

import { describeTlsError } from "./tls_errors.ts";

/** A short lower-case reason for a network error. */
export function describeNetError(error: unknown): string {
  const tls = describeTlsError(error);
  if (tls !== undefined) return tls;
  if (error instanceof Deno.errors.ConnectionRefused) return "connection refused";
  if (error instanceof Deno.errors.ConnectionReset) return "connection reset by peer";
  if (error instanceof Deno.errors.ConnectionAborted) return "connection aborted";
  if (error instanceof Deno.errors.AddrInUse) return "address already in use";
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return "address not available on this machine";
  }
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) return "permission denied";
  if (error instanceof Deno.errors.NotFound) return "no such file or socket";
  if (error instanceof Deno.errors.TimedOut) return "timed out";
  if (error instanceof Deno.errors.BrokenPipe) return "broken pipe";
  if (error instanceof Deno.errors.NotConnected) return "not connected";
  if (error instanceof Deno.errors.NetworkUnreachable) return "network unreachable";
  if (isDnsError(error)) return "host not found (DNS lookup failed)";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \(os error \d+\)$/, "").replace(/^./, (c) => c.toLowerCase());
}

/** True for a failed name lookup (Deno throws a plain Error for these). */
export function isDnsError(error: unknown): boolean {
  return error instanceof Error &&
    /failed to lookup address|Name or service not known|nodename nor servname|No address associated/i
      .test(error.message);
}

/** A failed DNS lookup, kept apart so the CLI can give it its own message. */
export class DnsError extends Error {
  override name = "DnsError";
}

/**
 * Returns an error of the same class as `error` with the message
 * `${action} "${target}": ${reason}`, and the reason apart (see `reasonOf`).
 */
export function netError(action: string, target: string, error: unknown): Error {
  const reason = describeNetError(error);
  const message = `${action} "${target}": ${reason}`;
  return withReason(rebuilt(error, message), reason);
}

/** Gives `error` a short `reason` that callers can show without parsing its message. */
export function withReason<E extends Error>(error: E, reason: string): E & { reason: string } {
  return Object.assign(error, { reason });
}

/** The short reason an error carries (`connection refused`), or one described from it. */
export function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return typeof reason === "string" ? reason : describeNetError(error);
}

function rebuilt(error: unknown, message: string): Error {
  if (isDnsError(error)) return new DnsError(message, { cause: error });
  if (error instanceof Error) {
    const Ctor = error.constructor as new (message: string, options?: ErrorOptions) => Error;
    try {
      return new Ctor(message, { cause: error });
    } catch {
      return new Error(message, { cause: error });
    }
  }
  return new Error(message, { cause: error });
}

const NODE_CODES: Record<string, new (message: string) => Error> = {
  ECONNREFUSED: Deno.errors.ConnectionRefused,
  ECONNRESET: Deno.errors.ConnectionReset,
  ECONNABORTED: Deno.errors.ConnectionAborted,
  ETIMEDOUT: Deno.errors.TimedOut,
  ENETUNREACH: Deno.errors.NetworkUnreachable,
  EADDRNOTAVAIL: Deno.errors.AddrNotAvailable,
  EACCES: Deno.errors.PermissionDenied,
};

/** node:net errors (`code: "ECONNREFUSED"`) as the Deno errors the rest of sockchat maps. */
export function denoError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new Error("failed to lookup address information", { cause: error });
  }
  const Ctor = NODE_CODES[code];
  if (Ctor === undefined || error instanceof Ctor) return error;
  return new Ctor((error as Error).message);
}
