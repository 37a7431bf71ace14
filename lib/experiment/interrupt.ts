/** Longest Ctrl-C waits for finished items to be delivered before the process exits. */
const INTERRUPT_FLUSH_MILLIS = 5000;

/**
 * Ctrl-C during a run: `onInterrupt` stops the run and delivers what finished (bounded by
 * {@link INTERRUPT_FLUSH_MILLIS}); then this listener goes away and the signal is raised again, so
 * the process ends as it would have without the runner (the app's own handler, the SDK's flush on
 * exit, or Node's default). A second Ctrl-C meanwhile ends it at once. Returns the uninstaller.
 */
export function exitAfterInterrupt(onInterrupt: () => Promise<void>): () => void {
  let interrupted = false;
  const handler = (): void => {
    if (interrupted) {
      process.removeListener("SIGINT", handler);
      process.kill(process.pid, "SIGINT");
      return;
    }
    interrupted = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((resolve) => (timer = setTimeout(resolve, INTERRUPT_FLUSH_MILLIS)));
    void Promise.race([onInterrupt().catch(() => undefined), bound]).then(() => {
      clearTimeout(timer);
      process.removeListener("SIGINT", handler);
      process.kill(process.pid, "SIGINT");
    });
  };
  process.on("SIGINT", handler);
  return () => {
    process.removeListener("SIGINT", handler);
  };
}
