/**
 * The machine the bench ran on, for the report: CPU count and model, kernel, Deno.
 * @module
 */

/** Facts about the machine. */
export interface Machine {
  nproc: number;
  cpuModel: string;
  kernel: string;
  deno: string;
  target: string;
}

/** Reads the machine's facts (Linux `/proc`; falls back to "unknown"). */
export function machine(): Machine {
  let cpuModel = "unknown";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    cpuModel = info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    nproc: navigator.hardwareConcurrency,
    cpuModel,
    kernel: Deno.osRelease(),
    deno: Deno.version.deno,
    target: Deno.build.target,
  };
}
