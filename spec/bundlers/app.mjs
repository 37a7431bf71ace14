// The app each bundler builds: the SDK, a serverless wrapper, a traced tool. Credentials come from
// the environment (JUDGMENT_API_URL / _API_KEY / _ORG_ID), as in a deployed function. It prints
// one JSON line with the handler's result; the test reads the spans from the backend.
import { Tracer, observe } from "judgeval";
import { withFlush } from "judgeval/serverless";

Tracer.init({ projectName: "bundled-app", exportIntervalMillis: 600000 });

const lookup = observe(async (query) => query.toUpperCase(), { spanType: "tool", spanName: "lookup" });

export const handler = withFlush(async (query) => Tracer.span("handle", () => lookup(query)));

// Run as a script (not when a server framework imports the module to call `handler` itself).
if (process.env.BUNDLED_APP_RUN === "1") {
  handler("hello").then((result) => console.log(JSON.stringify({ result })));
}
