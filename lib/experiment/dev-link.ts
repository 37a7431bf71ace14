const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * The run's page in `judgeval dev` when `apiUrl` is a local backend that answers: only loopback
 * URLs are asked (the platform is never probed), and a silent or foreign server gives undefined.
 */
export async function devRunLink(apiUrl: string, runId: string): Promise<string | undefined> {
  let base: URL;
  try {
    base = new URL(apiUrl);
  } catch {
    return undefined;
  }
  if (!LOOPBACK.has(base.hostname)) return undefined;
  try {
    const res = await fetch(new URL("/api/v1/stats", base), { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    if (!res.ok) return undefined;
  } catch {
    return undefined;
  }
  const page = new URL("/experiments", base);
  page.searchParams.set("b", runId);
  return page.toString();
}
