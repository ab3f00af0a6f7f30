/**
 * What a running process holds, from Linux's `/proc`: open descriptors and resident
 * memory. Tests and benches read them from the real server process, through `ls` and
 * `cat` (Deno lets only `--allow-all` read another process's `/proc/PID/…`).
 * @module
 */

/** Open file descriptors of `pid`. */
export async function fdCount(pid: number): Promise<number> {
  const output = await new Deno.Command("ls", { args: [`/proc/${pid}/fd`], stdout: "piped" })
    .output();
  if (!output.success) throw new Error(`cannot list the descriptors of process ${pid}`);
  return new TextDecoder().decode(output.stdout).split("\n").filter((name) => name !== "").length;
}

/** VmRSS of `pid` in KiB (read by `cat`, for the same reason as `fdCount`). */
export async function rssKiB(pid: number): Promise<number> {
  const output = await new Deno.Command("cat", { args: [`/proc/${pid}/status`], stdout: "piped" })
    .output();
  const status = new TextDecoder().decode(output.stdout);
  const kib = Number(status.match(/^VmRSS:\s+(\d+) kB$/m)?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no VmRSS for process ${pid}`);
  return kib;
}

/** Polls `fdCount(pid)` until `done(count)`; returns the last count (bounded, never throws). */
export async function waitFds(
  pid: number,
  done: (count: number) => boolean,
  timeoutMs: number,
): Promise<number> {
  const end = performance.now() + timeoutMs;
  while (true) {
    const count = await fdCount(pid);
    if (done(count) || performance.now() > end) return count;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
