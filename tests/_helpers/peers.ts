/**
 * Real peers from Debian packages (the list is scripts/test_peers.ts's, which the test task
 * runs first). A missing peer fails the test with the package to install: never a skip.
 * @module
 */

import { debianPackageOf, findOnPath } from "../../scripts/test_peers.ts";

const found = new Map<string, string>();

/** The absolute path of `name` on PATH, or a thrown error naming the package. */
export function requirePeer(name: string, debianPackage = debianPackageOf(name)): string {
  const cached = found.get(name);
  if (cached) return cached;
  const path = findOnPath(name);
  if (path !== null) {
    found.set(name, path);
    return path;
  }
  throw new Error(
    `Test peer "${name}" is not installed: apt-get install ${debianPackage} (the test task installs it as root)`,
  );
}

/** Kills a child process if it is still running and waits for it. */
export async function stopChild(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // exited already
  }
  await child.status;
}
