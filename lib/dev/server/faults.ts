import type { FaultRoute, FaultSpec } from "./types.js";

/** The wire route (docs/wire.md) a request was matched to, for fault matching. */
export type WireRoute = Exclude<FaultRoute, "all">;

/** What to do with a request that drew a fault. */
export type FaultAction = { kind: "hang" } | { kind: "status"; status: number; retryAfterSeconds?: number };

interface ActiveFault {
  route: FaultRoute;
  action: FaultAction;
  remaining: number;
}

/**
 * Queue of injected faults. Each request takes the first fault whose route
 * matches and uses up one of its `times`; faults are played in injection order.
 */
export class FaultQueue {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!(times > 0)) return;
    const action: FaultAction = spec.hang
      ? { kind: "hang" }
      : { kind: "status", status: spec.status ?? 503, retryAfterSeconds: spec.retryAfterSeconds };
    this.faults.push({ route: spec.route ?? "all", action, remaining: times });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the fault for a request on `route`, if any is pending. */
  take(route: WireRoute): FaultAction | undefined {
    const index = this.faults.findIndex((f) => f.route === "all" || f.route === route);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.action;
  }
}
