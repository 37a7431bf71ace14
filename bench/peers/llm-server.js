"use strict";
/**
 * A loopback OpenAI-compatible server for the wrapped-client comparison: POST
 * /v1/chat/completions answers a chat completion in OpenAI's documented shape, or with
 * `stream: true` an SSE stream of `x-chunks` content chunks (default 10), a usage chunk when
 * `stream_options.include_usage` is set, then `[DONE]`. Runs as its own process; sends { port }.
 */
const http = require("node:http");

const usage = { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
const base = (object) => ({ id: "chatcmpl-bench", object, created: 1_732_000_000, model: "gpt-4o-mini-2024-07-18", system_fingerprint: "fp_bench" });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    if (!body.stream) {
      const reply = JSON.stringify({
        ...base("chat.completion"),
        choices: [{ index: 0, message: { role: "assistant", content: "Hello! How can I help you today?", refusal: null }, logprobs: null, finish_reason: "stop" }],
        usage,
      });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(reply) });
      return res.end(reply);
    }
    const n = Number(req.headers["x-chunks"] ?? 10);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let out = `data: ${JSON.stringify({ ...base("chat.completion.chunk"), choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] })}\n\n`;
    for (let i = 0; i < n; i++) out += `data: ${JSON.stringify({ ...base("chat.completion.chunk"), choices: [{ index: 0, delta: { content: `tok${i} ` }, logprobs: null, finish_reason: null }] })}\n\n`;
    out += `data: ${JSON.stringify({ ...base("chat.completion.chunk"), choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] })}\n\n`;
    if (body.stream_options?.include_usage) out += `data: ${JSON.stringify({ ...base("chat.completion.chunk"), choices: [], usage })}\n\n`;
    res.end(`${out}data: [DONE]\n\n`);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
