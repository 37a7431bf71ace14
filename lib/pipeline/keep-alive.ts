import http from "node:http";
import https from "node:https";

/**
 * The exporter's HTTP agent, loaded with the exporter's transport. A module of its own: its
 * signature is Node's `http.Agent`, which the published types (which need no @types/node) must
 * not reach.
 */

/** A keep-alive agent for `url`, of the exporter's own, so shutdown can cut a request a hanging backend never answers. */
export function keepAliveAgent(url: string): http.Agent {
  return url.startsWith("https:") ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
}
