/**
 * The one place the sockchat version lives.
 * @module
 */

/** sockchat's own version (semver). */
export const VERSION = "0.1.0";

/** `sockchat --version` text: our version, the Deno it runs on, and the platform. */
export function versionText(): string {
  return `sockchat ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`;
}

/**
 * `sockchat --version --json`: the same facts as one event (the `version` event of
 * output/events.ts; spelled out here because this module sits below output/).
 */
export function versionEvent(): { type: "version"; version: string; deno: string; target: string } {
  return { type: "version", version: VERSION, deno: Deno.version.deno, target: Deno.build.target };
}
