// An OpenAI call traced by OpenInference's instrumentation, sent to judgeval: `node examples/openinference.mjs`
// (needs OPENAI_API_KEY and JUDGMENT_API_KEY / JUDGMENT_ORG_ID, or JUDGMENT_API_URL of `npx judgeval dev`).
import OpenAI from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { Tracer, observe } from "judgeval";

// Registered globally, judgeval's provider receives the instrumentation's spans.
Tracer.init({ projectName: "openinference-example", registerGlobal: true });
// An ES module app patches the loaded module itself (a CommonJS app: registerInstrumentations).
new OpenAIInstrumentation().manuallyInstrument(OpenAI);

const client = new OpenAI();

const ask = observe(async function ask(question) {
  const completion = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: question }] });
  return completion.choices[0].message.content;
});

console.log(await ask("Tell me a joke"));
await Tracer.shutdown();
