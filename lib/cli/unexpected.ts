/**
 * The last line of defence: an error nobody caught (a stray promise rejection, an
 * exception thrown from a timer or an event handler) must not end the process with a
 * stack trace. While a command runs, such an error rejects `failed`, so the CLI reports
 * it like any other error: one line on stderr (an `error` event with `--json`) and the
 * exit code from the table.
 * @module
 */

/** Watches for uncaught errors until disposed. */
export interface UnexpectedWatch extends Disposable {
  /** Rejects with the first uncaught error; never resolves. */
  failed: Promise<never>;
}

/** Starts watching the global `unhandledrejection` and `error` events. */
export function watchUnexpected(): UnexpectedWatch {
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // nobody may be racing it when the error comes
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    fail(event.reason);
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    fail(event.error ?? new Error(event.message));
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("error", onError);
  return {
    failed,
    [Symbol.dispose]() {
      globalThis.removeEventListener("unhandledrejection", onRejection);
      globalThis.removeEventListener("error", onError);
    },
  };
}
