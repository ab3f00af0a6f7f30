/**
 * The controlling terminal for the interactive client: raw mode that is always undone
 * (also when the process exits through `Deno.exit`, e.g. on a second Ctrl-C), the
 * width in columns, and resize notifications (SIGWINCH).
 * @module
 */

/** What the interactive client needs from the terminal. */
export interface Terminal {
  /** Width in columns (80 when unknown). */
  columns(): number;
  /** Switches stdin to raw mode; disposing restores it. */
  enterRaw(): Disposable;
  /** Calls `onResize` when the terminal is resized, until disposed. */
  watchResize(onResize: () => void): Disposable;
}

/** A stdin that may switch raw mode (`Deno.stdin`). */
export interface RawCapable {
  setRaw?(mode: boolean): void;
}

/** Columns assumed when the terminal does not say. */
export const DEFAULT_COLUMNS = 80;

/** The process's terminal, with raw mode switched on `stdin`. */
export function processTerminal(stdin: RawCapable): Terminal {
  return {
    columns() {
      try {
        return Deno.consoleSize().columns || DEFAULT_COLUMNS;
      } catch {
        return DEFAULT_COLUMNS;
      }
    },
    enterRaw() {
      const restore = () => {
        try {
          stdin.setRaw?.(false);
        } catch {
          // The terminal is gone (hang-up): nothing left to restore.
        }
      };
      stdin.setRaw?.(true);
      // `Deno.exit` (a second signal) skips our `finally` blocks but runs `unload`.
      globalThis.addEventListener("unload", restore);
      return {
        [Symbol.dispose]() {
          globalThis.removeEventListener("unload", restore);
          restore();
        },
      };
    },
    watchResize(onResize) {
      if (Deno.build.os === "windows") return { [Symbol.dispose]() {} };
      Deno.addSignalListener("SIGWINCH", onResize);
      return {
        [Symbol.dispose]() {
          Deno.removeSignalListener("SIGWINCH", onResize);
        },
      };
    },
  };
}
