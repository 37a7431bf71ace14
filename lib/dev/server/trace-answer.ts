import type { ServerResponse } from "node:http";
import { HttpError, sendJsonStreamed } from "./http-util.js";
import type { TraceQueries } from "../store/queries.js";

/**
 * Answers one trace as a JSON object written as it is read (see {@link sendJsonStreamed}): its id and summaries, then
 * `spans` as `read` yields them for the trace's stored id, then the members `tail` makes of what `read` returns, then
 * its tags and links. 404 when no span of the trace is stored.
 */
export async function sendTrace<R>(
  res: ServerResponse,
  queries: TraceQueries,
  traceId: string,
  offline: boolean | undefined,
  read: (storedId: string) => Generator<readonly unknown[], R, void>,
  tail: (result: R) => object,
): Promise<void> {
  const head = queries.detailHead(traceId, offline);
  if (!head) throw new HttpError(404, `trace not found: ${traceId}`);
  const { tags, links, ...first } = head;
  await sendJsonStreamed(res, first, "spans", read(head.traceId), (result) => ({ ...tail(result), tags, links }));
}
