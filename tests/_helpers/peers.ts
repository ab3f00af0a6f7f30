/**
 * Real peers from Debian packages (`socat`, `nc`, `tmux`, `openssl`, `python3`). A missing
 * peer fails the test with the package to install: never a silent skip.
 * @module
 */

const found = new Map<string, string>();

/** The absolute path of `name` on PATH, or a thrown error naming the package. */
export function requirePeer(name: string, debianPackage = name): string {
  const cached = found.get(name);
  if (cached) return cached;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    const path = `${dir}/${name}`;
    try {
      if (Deno.statSync(path).isFile) {
        found.set(name, path);
        return path;
      }
    } catch {
      // not here
    }
  }
  throw new Error(
    `Test peer "${name}" is not installed: apt-get install ${debianPackage} (.ci/run installs it)`,
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
