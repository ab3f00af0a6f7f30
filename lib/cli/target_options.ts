/**
 * Where to connect or listen: the defaults, `-4`/`-6`, and turning `--host/--port/--unix`
 * plus netcat-style positionals (`HOST PORT`, `HOST:PORT`, `[v6]:PORT`, `unix:PATH`)
 * into one checked `Target`. Every malformed value is a usage error quoting it as typed.
 * @module
 */

import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import {
  isIPv4Literal,
  isIPv6Literal,
  parseHost,
  splitHostPort,
  type Target,
} from "../net/address.ts";
import type { OptionSpec } from "./command_spec.ts";
import type { ParsedArgs } from "./command_spec.ts";
import { parsePortOption } from "./values.ts";

/** Default host of `client`, `server` and `udp`. */
export const DEFAULT_HOST = "127.0.0.1";
/** Default port of `client`, `server` and `udp`. */
export const DEFAULT_PORT = 12345;

/** `-4` and `-6`, as nc has them. */
export const FAMILY_OPTIONS: readonly OptionSpec[] = [
  { name: "ipv4", short: "4", help: "use IPv4 addresses only (as nc -4)", group: "Connection" },
  { name: "ipv6", short: "6", help: "use IPv6 addresses only (as nc -6)", group: "Connection" },
];

/** Reads `-4`/`-6` and checks them against the target. */
export function familyOption(parsed: ParsedArgs, target: Target): 4 | 6 | undefined {
  const { ipv4, ipv6 } = parsed.opts;
  if (ipv4 === true && ipv6 === true) {
    throw new UsageError("Options -4 and -6 cannot be used together");
  }
  const family = ipv4 === true ? 4 : ipv6 === true ? 6 : undefined;
  if (family === undefined) return undefined;
  if (target.transport === "unix") {
    throw new UsageError(`Option -${family} needs a TCP target, not a Unix socket`);
  }
  const other = family === 4 ? isIPv6Literal(target.host) : isIPv4Literal(target.host);
  if (other) {
    throw new UsageError(
      `Option -${family} needs an IPv${family} address or a host name, not ${quote(target.host)}`,
    );
  }
  return family;
}

/**
 * The target of `client` (and, with no positionals, `server`): `--unix`, or a host and a
 * port each given once, either as options or netcat style.
 */
export function hostPortArgs(parsed: ParsedArgs, settings: { listening: boolean }): Target {
  const { opts, given } = parsed;
  const [hostArg, portArg] = parsed.args;
  const unixArg = hostArg?.startsWith("unix:") ? hostArg.slice(5) : undefined;
  if (typeof opts.unix === "string" || unixArg !== undefined) {
    const what = typeof opts.unix === "string" ? "Option --unix" : `Target ${quote(hostArg!)}`;
    if (typeof opts.unix === "string" && unixArg !== undefined) {
      throw new UsageError(`Give the Unix socket once: ${quote(hostArg!)} and --unix`);
    }
    if ((hostArg !== undefined && unixArg === undefined) || portArg !== undefined) {
      throw new UsageError(`${what} cannot be combined with a host or port`);
    }
    if (given.has("host") || given.has("port")) {
      throw new UsageError(`${what} cannot be combined with --host or --port`);
    }
    const path = unixArg ?? String(opts.unix);
    if (path === "") {
      throw new UsageError(
        unixArg !== undefined
          ? `Invalid target ${quote(hostArg!)}: empty Unix socket path`
          : "Option --unix needs a path",
      );
    }
    return { transport: "unix", path };
  }
  let hostText = String(opts.host);
  let hostLabel = "--host";
  let portText = String(opts.port);
  let portLabel = "--port";
  if (hostArg !== undefined) {
    if (given.has("host")) {
      throw new UsageError(`Give the host once: ${quote(hostArg)} and --host ${quote(hostText)}`);
    }
    const split = splitHostPort(hostArg);
    hostText = split.host;
    hostLabel = "host";
    if (split.port !== undefined) {
      if (portArg !== undefined || given.has("port")) {
        const other = portArg !== undefined ? quote(portArg) : `--port ${quote(portText)}`;
        throw new UsageError(`Give the port once: ${quote(hostArg)} and ${other}`);
      }
      portText = split.port;
      portLabel = `target ${quote(hostArg)}`;
    }
  }
  if (portArg !== undefined) {
    if (given.has("port")) {
      throw new UsageError(`Give the port once: ${quote(portArg)} and --port ${quote(portText)}`);
    }
    portText = portArg;
    portLabel = "port";
  }
  let host: string;
  try {
    host = parseHost(hostText, hostLabel);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { transport: "tcp", host, port: parsePortOption(portText, portLabel, settings.listening) };
}
