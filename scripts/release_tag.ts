/**
 * Release guard: the pushed tag must be `v` + lib/version.ts's VERSION, so a binary never
 * reports a version other than the one it was released as. Run by the release workflow:
 * `deno run scripts/release_tag.ts "$GITHUB_REF_NAME"` exits 1 with one line if not.
 * @module
 */

import { VERSION } from "../lib/version.ts";

/** `null` when `tag` releases `version`, else the one-line reason it does not. */
export function releaseTagProblem(tag: string, version: string): string | null {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    return `lib/version.ts VERSION "${version}" is not a semantic version`;
  }
  if (tag !== `v${version}`) {
    return `Tag "${tag}" does not match lib/version.ts VERSION "${version}" (expected "v${version}")`;
  }
  return null;
}

if (import.meta.main) {
  const tag = Deno.args[0] ?? "";
  const problem = releaseTagProblem(tag, VERSION);
  if (problem !== null) {
    console.error(`release: ${problem}`);
    Deno.exit(1);
  }
  console.log(`release: tag ${tag} matches VERSION ${VERSION}`);
}
