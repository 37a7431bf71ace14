/** Subscribes a listener to some change source; returns the unsubscribe function. */
export type Subscribe = (listener: () => void) => () => void;

/**
 * Resolves with the first truthy result of `check`, evaluated now and after
 * every change reported by `subscribe` — no polling. Rejects after `timeoutMs`
 * with `describe()` in the message so a failing test says what was there.
 */
export function waitUntil<T>(
  subscribe: Subscribe,
  check: () => T | undefined | null | false,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unsubscribe: () => void = () => undefined;
    // Assigned only once the first check failed; `finish` may run before that.
    // eslint-disable-next-line prefer-const
    let timer: NodeJS.Timeout | undefined;
    const finish = (settle: () => void): void => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      settle();
    };
    const evaluate = (): boolean => {
      let result: T | undefined | null | false;
      try {
        result = check();
      } catch (err) {
        finish(() => reject(err));
        return true;
      }
      if (!result) return false;
      finish(() => resolve(result));
      return true;
    };
    if (evaluate()) return;
    unsubscribe = subscribe(() => void evaluate());
    timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting: ${describe()}`))), timeoutMs);
    // A forgotten wait must not keep a test process alive.
    timer.unref();
  });
}
