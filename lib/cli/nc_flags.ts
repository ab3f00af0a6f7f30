/**
 * Flags nc users type that have no sockchat meaning of their own. A flag a command does
 * take (`-k` on `server`, `-e` on `udp recv`, `-w` on `client`) is never looked up here;
 * any other gets one line saying what to use instead of "unknown option".
 * @module
 */

import type { ForeignFlag } from "./command_spec.ts";

/** nc's flags and what to use instead, in the order of nc's usage line. */
export const NC_FLAGS: readonly ForeignFlag[] = [
  { flag: "-l", instead: 'to listen, use "sockchat server" (--mode pipe is nc -l)' },
  { flag: "-u", instead: 'for UDP, use "sockchat udp send" or "sockchat udp recv"' },
  {
    flag: "-z",
    instead:
      'to check which ports accept connections, use "sockchat probe HOST PORTS" ("sockchat wait HOST:PORT" waits for one)',
  },
  {
    flag: "-N",
    instead: '"sockchat client" already half-closes (FIN) at the end of stdin',
  },
  { flag: "-d", instead: "to never read stdin, use --recv-only" },
  {
    flag: "-e",
    instead:
      'to run a program for each client, use "sockchat server --exec -- PROGRAM [ARGS...]" (never a shell)',
  },
  {
    flag: "-c",
    instead:
      'sockchat runs no shell commands: use "sockchat server --exec -- PROGRAM [ARGS...]", or "sh -c CMD" as the PROGRAM if you must',
  },
  {
    flag: "-k",
    instead: 'to serve client after client, use "sockchat server --mode pipe --keep-open"',
  },
  { flag: "-n", instead: "sockchat has no flag to skip DNS; give an IP address" },
  { flag: "-C", instead: "send CRLF line ends with --send 'TEXT\\r\\n'" },
  {
    flag: "-x",
    instead:
      "to connect through a proxy, use --proxy socks5://HOST:PORT or --proxy http://HOST:PORT",
  },
  { flag: "-s", instead: "sockchat cannot choose the source address" },
];
