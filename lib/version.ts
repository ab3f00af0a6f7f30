/**
 * The one place the sockchat version lives.
 * @module
 */

import type { VersionEvent } from "./output/events.ts";

/** sockchat's own version (semver). */
export const VERSION = "0.1.0";

/** `sockchat --version` text: our version, the Deno it runs on, and the platform. */
export function versionText(): string {
  return `sockchat ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`;
}

/** `sockchat --version --json`: the same facts as one event. */
export function versionEvent(): VersionEvent {
  return { type: "version", version: VERSION, deno: Deno.version.deno, target: Deno.build.target };
}
