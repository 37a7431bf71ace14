import { createHash } from "node:crypto";

/** A project known to the backend. */
export interface ProjectRecord {
  name: string;
  id: string;
}

/**
 * Project names and their ids. Ids derive from the name, so they are stable
 * across restarts and across backends (a test can predict them); with a fixed
 * list only those names resolve, otherwise a name is registered on first use.
 */
export class ProjectRegistry {
  private readonly byName = new Map<string, string>();
  private readonly ids = new Set<string>();
  private readonly fixed: boolean;
  private onAdd: ((project: ProjectRecord) => void) | undefined;

  constructor(names?: readonly string[]) {
    this.fixed = names !== undefined;
    for (const name of names ?? []) this.add(name);
  }

  /** The id a name has (or would have) on any backend. */
  static idFor(name: string): string {
    return `proj-${createHash("sha256").update(name).digest("hex").slice(0, 20)}`;
  }

  /** Calls `listener` for each project registered from now on (persistence). */
  setListener(listener: ((project: ProjectRecord) => void) | undefined): void {
    this.onAdd = listener;
  }

  /** Registers projects loaded from storage, unless the list is fixed. */
  load(projects: Iterable<ProjectRecord>): void {
    if (this.fixed) return;
    for (const p of projects) {
      this.byName.set(p.name, p.id);
      this.ids.add(p.id);
    }
  }

  /** The project id for `name`, or undefined when the name does not resolve. */
  resolve(name: string): string | undefined {
    const known = this.byName.get(name);
    if (known !== undefined || this.fixed) return known;
    return this.add(name);
  }

  /** True when `id` belongs to a resolved project. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** All known projects. */
  list(): ProjectRecord[] {
    return [...this.byName].map(([name, id]) => ({ name, id }));
  }

  private add(name: string): string {
    const id = ProjectRegistry.idFor(name);
    this.byName.set(name, id);
    this.ids.add(id);
    this.onAdd?.({ name, id });
    return id;
  }
}
