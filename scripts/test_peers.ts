/**
 * The test suite's set-up step (run first by `deno task test`): the real peers the tests
 * talk to come from Debian packages. Missing ones are installed when that is possible (root,
 * with apt-get); otherwise the step stops at once with the one command that installs them.
 * A missing peer fails its tests, it is never skipped, so finding out here is kinder.
 * @module
 */

/** A program the tests run, and the Debian package that provides it. */
export interface TestPeer {
  command: string;
  debianPackage: string;
}

/** Every peer the tests use. */
export const TEST_PEERS: readonly TestPeer[] = [
  { command: "bash", debianPackage: "bash" },
  { command: "sha256sum", debianPackage: "coreutils" },
  { command: "ps", debianPackage: "procps" },
  { command: "socat", debianPackage: "socat" },
  { command: "nc", debianPackage: "netcat-openbsd" },
  { command: "ncat", debianPackage: "ncat" },
  { command: "tmux", debianPackage: "tmux" },
  { command: "openssl", debianPackage: "openssl" },
  { command: "python3", debianPackage: "python3" },
  { command: "jq", debianPackage: "jq" },
  { command: "hexdump", debianPackage: "bsdextrautils" },
  { command: "microsocks", debianPackage: "microsocks" },
  { command: "tinyproxy", debianPackage: "tinyproxy" },
  { command: "redis-server", debianPackage: "redis-server" },
  { command: "chromium", debianPackage: "chromium" },
];

/** The Debian package that provides `command` (the command's own name if it is not listed). */
export function debianPackageOf(command: string): string {
  return TEST_PEERS.find((peer) => peer.command === command)?.debianPackage ?? command;
}

/** What the machine offers for installing packages. */
export interface Installer {
  root: boolean;
  aptGet: boolean;
}

/** What the set-up step does. */
export type PeerPlan =
  | { action: "none" }
  | { action: "install"; packages: string[] }
  | { action: "stop"; message: string };

/** Decides what to do about the `missing` peers (pure). */
export function planPeers(missing: readonly TestPeer[], installer: Installer): PeerPlan {
  if (missing.length === 0) return { action: "none" };
  const packages = [...new Set(missing.map((peer) => peer.debianPackage))];
  if (installer.root && installer.aptGet) return { action: "install", packages };
  const names = missing.map((peer) => peer.command).join(", ");
  const install = `apt-get install -y ${packages.join(" ")}`;
  const message = installer.aptGet
    ? `test peers missing (${names}); install them with:\n  sudo ${install}`
    : `test peers missing (${names}); install them with your package manager ` +
      `(on Debian or Ubuntu: sudo ${install})`;
  return { action: "stop", message };
}

/** The absolute path of `command` on PATH, or null. */
export function findOnPath(command: string, path = Deno.env.get("PATH") ?? ""): string | null {
  for (const dir of path.split(":")) {
    if (dir === "") continue;
    try {
      const candidate = `${dir}/${command}`;
      if (Deno.statSync(candidate).isFile) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function missingPeers(): TestPeer[] {
  return TEST_PEERS.filter((peer) => findOnPath(peer.command) === null);
}

async function apt(args: string[]): Promise<boolean> {
  const status = await new Deno.Command("apt-get", {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdin: "null",
    stdout: "null",
  }).spawn().status;
  return status.success;
}

async function main(): Promise<number> {
  const plan = planPeers(missingPeers(), {
    root: Deno.uid() === 0,
    aptGet: findOnPath("apt-get") !== null,
  });
  if (plan.action === "none") return 0;
  if (plan.action === "stop") {
    console.error(`test: ${plan.message}`);
    return 1;
  }
  console.error(`test: installing the missing test peers: ${plan.packages.join(" ")}`);
  const installed = await apt(["update", "-qq"]) &&
    await apt(["install", "-y", "-qq", "--no-install-recommends", ...plan.packages]);
  const still = missingPeers().map((peer) => peer.command);
  if (!installed || still.length > 0) {
    console.error(`test: could not install the test peers (still missing: ${still.join(", ")})`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
