import type { ProjectResolution } from "./judgment-api.js";
import { unref, type Timer } from "../diag/runtime.js";
import { backoffDelay, DEFAULT_RETRY, type RetryOptions } from "./retry.js";

/**
 * Resolving the project in the background: a failure a later attempt may fix (network, timeout,
 * 408, 429, 5xx) is tried again with exponential backoff until it succeeds or the tracer stops,
 * so a backend that is down at start does not turn export off until a restart. A definitive
 * failure (unknown project, bad key) ends it at once.
 */
export class BackgroundResolution {
  /** Settles with the outcome of the first attempt. */
  readonly first: Promise<ProjectResolution>;
  /** Settles with the project id once resolved, or undefined when resolution ended without one. */
  readonly id: Promise<string | undefined>;
  private settle!: (id: string | undefined) => void;
  private settled = false;
  private projectId: string | undefined;
  private timer: Timer | undefined;
  private running: Promise<ProjectResolution> | undefined;
  private attempts = 0;
  private readonly retry: Required<RetryOptions>;

  constructor(
    private readonly attempt: () => Promise<ProjectResolution>,
    retry: RetryOptions | undefined,
    /** Called once if the first attempt fails and a later one succeeds. */
    private readonly onLateSuccess: (attempts: number) => void,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.id = new Promise((resolve) => (this.settle = resolve));
    this.first = this.run();
  }

  /** Whether the id is known or resolution has ended. */
  get done(): boolean {
    return this.settled;
  }

  /**
   * Tries once more now unless the id is known or resolution ended (one attempt at a time);
   * true when the id is known afterwards. For a flush that must not wait for the next timer.
   */
  async now(): Promise<boolean> {
    if (!this.settled) {
      clearTimeout(this.timer);
      await this.run();
    }
    return this.projectId !== undefined;
  }

  /** Ends resolution: no more attempts; `id` settles undefined if it had not settled. */
  stop(): void {
    clearTimeout(this.timer);
    this.finish(undefined);
  }

  private run(): Promise<ProjectResolution> {
    this.running ??= this.attempt()
      .then((result) => {
        this.attempts++;
        if ("projectId" in result) {
          if (this.attempts > 1 && !this.settled) this.onLateSuccess(this.attempts);
          this.finish(result.projectId);
        } else if (!result.retryable) this.finish(undefined);
        else this.schedule();
        return result;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(): void {
    if (this.settled) return;
    clearTimeout(this.timer);
    // Retrying alone does not keep the process alive; the exit flush makes a last attempt.
    this.timer = unref(setTimeout(() => void this.run(), backoffDelay(this.attempts - 1, this.retry)));
  }

  private finish(id: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.projectId = id;
    this.settle(id);
  }
}
