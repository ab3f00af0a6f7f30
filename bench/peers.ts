/**
 * Finding the peer programs (`nc`, `ncat`, `socat`) on PATH. A missing one is not an
 * error for the bench: its rows are reported as skipped.
 * @module
 */

/** Looks up programs on PATH once. */
export class Peers {
  #cache = new Map<string, string | null>();
  #path: string;

  constructor(path = Deno.env.get("PATH") ?? "") {
    this.#path = path;
  }

  /** Absolute path of `name`, or null when it is not installed. */
  find(name: string): string | null {
    if (this.#cache.has(name)) return this.#cache.get(name)!;
    let found: string | null = null;
    for (const dir of this.#path.split(":").filter(Boolean)) {
      try {
        if (Deno.statSync(`${dir}/${name}`).isFile) {
          found = `${dir}/${name}`;
          break;
        }
      } catch {
        // not in this directory
      }
    }
    this.#cache.set(name, found);
    return found;
  }

  /** Why a tool needing `names` cannot run, or null when all are there. */
  missing(names: readonly string[]): string | null {
    const absent = names.filter((name) => this.find(name) === null);
    return absent.length === 0 ? null : `skipped: ${absent.join(", ")} not installed`;
  }
}
