/** The AI SDK's own telemetry keys (`ai.*`, versions 3 to 6 and `LegacyOpenTelemetry` in 7) read by the mapping. */
export const Ai = {
  operationId: "ai.operationId",
  modelId: "ai.model.id",
  modelProvider: "ai.model.provider",
  responseModel: "ai.response.model",
  prompt: "ai.prompt",
  promptMessages: "ai.prompt.messages",
  responseText: "ai.response.text",
  responseToolCalls: "ai.response.toolCalls",
  responseObject: "ai.response.object",
  inputTokens: "ai.usage.inputTokens",
  promptTokens: "ai.usage.promptTokens",
  outputTokens: "ai.usage.outputTokens",
  completionTokens: "ai.usage.completionTokens",
  cacheReadTokens: "ai.usage.inputTokenDetails.cacheReadTokens",
  cachedInputTokens: "ai.usage.cachedInputTokens",
  cacheWriteTokens: "ai.usage.inputTokenDetails.cacheWriteTokens",
  reasoningTokens: "ai.usage.reasoningTokens",
  toolName: "ai.toolCall.name",
  toolArgs: "ai.toolCall.args",
  toolResult: "ai.toolCall.result",
} as const;

/**
 * OpenInference's keys (`@arizeai/openinference-*` instrumentations, Phoenix, Arize) read by the
 * mapping. Lists of objects are flattened with zero-based indices:
 * `llm.input_messages.0.message.role`.
 */
export const OpenInference = {
  spanKind: "openinference.span.kind",
  modelName: "llm.model_name",
  responseModelName: "llm.response.model_name",
  embeddingModelName: "embedding.model_name",
  provider: "llm.provider",
  system: "llm.system",
  promptTokens: "llm.token_count.prompt",
  completionTokens: "llm.token_count.completion",
  cacheReadTokens: "llm.token_count.prompt_details.cache_read",
  cacheWriteTokens: "llm.token_count.prompt_details.cache_write",
  reasoningTokens: "llm.token_count.completion_details.reasoning",
  inputValue: "input.value",
  inputMimeType: "input.mime_type",
  outputValue: "output.value",
  outputMimeType: "output.mime_type",
  /** Prefixes of flattened lists (each followed by an index). */
  inputMessages: "llm.input_messages.",
  outputMessages: "llm.output_messages.",
  retrievalDocuments: "retrieval.documents.",
  rerankerInputDocuments: "reranker.input_documents.",
  rerankerOutputDocuments: "reranker.output_documents.",
  embeddings: "embedding.embeddings.",
  promptTemplateVariables: "llm.prompt_template.variables",
  toolName: "tool.name",
} as const;
