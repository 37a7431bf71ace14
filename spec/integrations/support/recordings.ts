/**
 * Real OpenAI API responses, recorded by others and published with their projects' test data
 * or documentation; the values (ids, models, token counts, text) are kept as recorded.
 * Sources: "agent_kit" — github.com/CtwoC/agent_kit client/output_style/openai_output.md;
 * "agent-framework" — Microsoft Agent Framework's unit-test data OpenAIDefaultResponse.json;
 * "aibridge" — coder's aibridge fixtures openai/responses/blocking/cached_input_tokens.txtar.
 */

/** Chat Completions: gpt-4o asks for get_weather (agent_kit). */
export const CHAT_TOOL_CALL = {
  id: "chatcmpl-BcQ8ko2nz9B7CRvV0uVbcowidHpQU",
  object: "chat.completion",
  created: 1748496646,
  model: "gpt-4o-2024-08-06",
  choices: [
    {
      index: 0,
      finish_reason: "tool_calls",
      logprobs: null,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [
          {
            id: "call_qOfTGgDrItLORNfC6VwUbyLL",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"Shanghai"}' },
          },
        ],
      },
    },
  ],
  usage: {
    prompt_tokens: 91,
    completion_tokens: 14,
    total_tokens: 105,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: "default",
  system_fingerprint: "fp_76544d79cb",
};

/** Chat Completions: a gpt-4o text answer (agent_kit). */
export const CHAT_ANSWER = {
  id: "chatcmpl-BcO1gPfCFAf86O5CyQ9CTeEyoc8KG",
  object: "chat.completion",
  created: 1748488520,
  model: "gpt-4o-2024-08-06",
  choices: [
    {
      index: 0,
      finish_reason: "stop",
      logprobs: null,
      message: {
        role: "assistant",
        content: "Why don't skeletons fight each other? They don't have the guts.",
        refusal: null,
        annotations: [],
      },
    },
  ],
  usage: {
    prompt_tokens: 23,
    completion_tokens: 14,
    total_tokens: 37,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: "default",
  system_fingerprint: "fp_a288987b44",
};

/** Responses: gpt-4o calls get_weather (agent_kit, the `response.completed` event's response). */
export const RESPONSE_FUNCTION_CALL = {
  id: "resp_6838085ccc98819890607476e8bea879001c774c11fd6e0c",
  object: "response",
  created_at: 1748502620,
  status: "completed",
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: {},
  model: "gpt-4o-2024-08-06",
  output: [
    {
      id: "fc_6838085d82248198bf5fe37afd4bdaec001c774c11fd6e0c",
      type: "function_call",
      status: "completed",
      call_id: "call_0wvaBfn8hir385b2vIJQpMMO",
      name: "get_weather",
      arguments: '{"location":"Shanghai, China"}',
    },
  ],
  parallel_tool_calls: true,
  temperature: 0.7,
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  previous_response_id: null,
  text: { format: { type: "text" } },
  truncation: "disabled",
  usage: {
    input_tokens: 67,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 17,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 84,
  },
  service_tier: "default",
  store: true,
};

/** Responses: a gpt-4o-mini text answer (agent-framework). */
export const RESPONSE_ANSWER = {
  id: "resp_0888a46cbf2b1ff3006914596e05d08195a77c3f5187b769a7",
  object: "response",
  created_at: 1762941294,
  status: "completed",
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: {},
  model: "gpt-4o-mini-2024-07-18",
  output: [
    {
      id: "msg_0888a46cbf2b1ff3006914596f814481958e8cf500a6dabbec",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", annotations: [], logprobs: [], text: "Hello! How can I assist you today?" }],
    },
  ],
  parallel_tool_calls: true,
  temperature: 1,
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  previous_response_id: null,
  text: { format: { type: "text" }, verbosity: "medium" },
  truncation: "disabled",
  usage: {
    input_tokens: 9,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 10,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 19,
  },
  service_tier: "default",
  store: true,
};

/** Responses: a gpt-4.1 answer served mostly from the prompt cache (aibridge). */
export const RESPONSE_CACHED = {
  id: "resp_0cd5d6b8310055d600696a1776b42c81a199fbb02248a8bfa0",
  object: "response",
  created_at: 1768560502,
  status: "completed",
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: {},
  model: "gpt-4.1-2025-04-14",
  output: [
    {
      id: "msg_0cd5d6b8310055d600696a177708b881a1bb53034def764104",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [
        {
          type: "output_text",
          annotations: [],
          logprobs: [],
          text: "- I provide clear, accurate, and concise answers tailored to your requests.\n- I can process and summarize large volumes of information quickly.\n- I adapt my responses based on your needs and instructions for precision and relevance.",
        },
      ],
    },
  ],
  parallel_tool_calls: true,
  temperature: 1,
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  previous_response_id: null,
  text: { format: { type: "text" }, verbosity: "medium" },
  truncation: "disabled",
  usage: {
    input_tokens: 12033,
    input_tokens_details: { cached_tokens: 11904 },
    output_tokens: 44,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 12077,
  },
  service_tier: "default",
  store: true,
};

/** List prices (USD per million tokens) of the recorded models, for expected costs. */
export const PRICES = {
  "gpt-4o": { input: 2.5, cached: 1.25, output: 10 },
  "gpt-4o-mini": { input: 0.15, cached: 0.075, output: 0.6 },
  "gpt-4.1": { input: 2, cached: 0.5, output: 8 },
} as const;
