"use strict";
/**
 * The load benchmark's model provider: a loopback server that replays recorded OpenAI chat
 * completions (spec/integrations/support/recordings.ts): a request offering tools gets the
 * recorded tool call, any other the recorded text answer. Each body is encoded once, so the
 * provider costs the servers under test as little CPU as possible. Runs in its own process
 * (started with bench/lib/ts-source.js preloaded, to read the recordings); sends { port }.
 */
const http = require("node:http");
const { CHAT_ANSWER, CHAT_TOOL_CALL } = require("../../spec/integrations/support/recordings.ts");

const TOOL_CALL = Buffer.from(JSON.stringify(CHAT_TOOL_CALL));
const ANSWER = Buffer.from(JSON.stringify(CHAT_ANSWER));

let served = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/__stats") return reply(res, Buffer.from(JSON.stringify({ served })));
    served++;
    reply(res, Buffer.concat(chunks).includes('"tools"') ? TOOL_CALL : ANSWER);
  });
});

function reply(res, body) {
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
