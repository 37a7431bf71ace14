import type { Integration } from "../integration.js";
import { chatChunkAccumulator, summarizeChatCompletion } from "./openai-compatible.js";
import { hasMethod } from "../read.js";

/**
 * The `together-ai` client. Its chat completions speak the OpenAI format; a stream reports
 * usage in its last chunk without being asked, so the request is sent as the caller wrote it.
 */
export const together: Integration = {
  provider: "together",
  spanName: "TOGETHER_API_CALL",
  genAiProvider: () => "together",
  classNames: ["Together"],
  hasShape: (client) =>
    hasMethod(client, ["chat", "completions", "create"]) && typeof (client as { codeInterpreter?: unknown }).codeInterpreter === "object",
  operations: [
    {
      resource: ["chat", "completions"],
      method: "create",
      operation: "chat",
      summarize: summarizeChatCompletion,
      stream: () => chatChunkAccumulator(false),
    },
  ],
};
