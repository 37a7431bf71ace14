import { AsyncLocalStorage } from "node:async_hooks";
import { nodeTransport } from "../pipeline/node-transport.js";
import type { Platform } from "./platform.js";

/** Node (and Bun, Deno): Node's HTTP client, the spool on disk, the exit flushes. */
export const NODE: Platform = {
  name: "node",
  transport: nodeTransport,
  storage: () => AsyncLocalStorage,
  noStorage: "",
  processExits: true,
};
