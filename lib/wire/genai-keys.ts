/**
 * OpenTelemetry GenAI semantic-convention attribute keys (and values) that judgeval writes beside
 * its own keys and reads from the spans of other libraries.
 */
export const GenAi = {
  system: "gen_ai.system",
  providerName: "gen_ai.provider.name",
  operationName: "gen_ai.operation.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  finishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheCreationInputTokens: "gen_ai.usage.cache_creation.input_tokens",
  /** The newer name of `cache_creation.input_tokens` (read, not written). */
  cacheWriteInputTokens: "gen_ai.usage.cache_write.input_tokens",
  reasoningOutputTokens: "gen_ai.usage.reasoning.output_tokens",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  systemInstructions: "gen_ai.system_instructions",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolCallArguments: "gen_ai.tool.call.arguments",
  toolCallResult: "gen_ai.tool.call.result",
  promptName: "gen_ai.prompt.name",
  retrievalQuery: "gen_ai.retrieval.query.text",
  retrievalDocuments: "gen_ai.retrieval.documents",
  /** Older conventions' prompt and completion, as attributes of the `gen_ai.content.*` span events. */
  prompt: "gen_ai.prompt",
  completion: "gen_ai.completion",
  /** The body of a message event (`gen_ai.user.message`, `gen_ai.choice`, …) recorded on a span, as JSON text. */
  eventContent: "gen_ai.event.content",
} as const;

/** Names of the span events that carry a GenAI call's messages (read into its input and output). */
export const GenAiEvents = {
  /** Newer conventions: the call's `gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions`. */
  inferenceDetails: "gen_ai.client.inference.operation.details",
  systemMessage: "gen_ai.system.message",
  userMessage: "gen_ai.user.message",
  assistantMessage: "gen_ai.assistant.message",
  toolMessage: "gen_ai.tool.message",
  choice: "gen_ai.choice",
  contentPrompt: "gen_ai.content.prompt",
  contentCompletion: "gen_ai.content.completion",
} as const;
