/**
 * An experiment script: run an observed agent over a dataset, 3 items at a time, each item in its
 * own offline trace (one dataset example tied to it), scored by two local scorers, with a summary
 * table at the end. Runs against the built-in local backend: no keys, no network.
 *
 *   npm run experiment
 *
 * Against the Judgment platform, drop the LocalBackend lines, set JUDGMENT_API_KEY and
 * JUDGMENT_ORG_ID in the environment, and add hosted judges (`judges: ["faithfulness"]`).
 */
import { Judgeval, Tracer, observe } from "judgeval";
import { LocalBackend } from "judgeval/dev";
import { contains, runExperiment, type ScorerArgs } from "judgeval/experiment";

class SupportAgent {
  @observe({ spanType: "tool" })
  async lookup(topic: string): Promise<string> {
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
    return `policy for ${topic}: ${topic === "electronics" ? "14" : "30"} days`;
  }

  @observe({ spanType: "agent" })
  async answer(question: string): Promise<string> {
    const policy = await this.lookup(question.split(" ").pop() ?? question);
    Tracer.setAttribute("policy_found", true);
    return `According to the ${policy}.`;
  }
}

/** A local scorer: short answers pass; the reason says how long it was. */
function concise({ output }: ScorerArgs<string, string>) {
  return { score: output.length <= 60 ? 1 : 0, reason: `${output.length} characters` };
}

async function main(): Promise<void> {
  const backend = await LocalBackend.start();
  const client = await Judgeval.create({
    projectName: "support-experiment",
    apiUrl: backend.url,
    apiKey: backend.apiKey,
    organizationId: backend.organizationId,
  });

  const agent = new SupportAgent();
  const result = await runExperiment({
    client,
    name: "support-v1",
    data: [
      { input: "What is the refund window for shoes", expected_output: "30 days" },
      { input: "Can I return a jacket", expected_output: "30 days" },
      { input: "How long to return electronics", expected_output: "30 days" },
      { input: "Return policy for books", expected_output: "30 days" },
      { input: "Refund for a damaged lamp", expected_output: "30 days" },
      { input: "Exchange window for shirts", expected_output: "30 days" },
    ],
    concurrency: 3,
    task: (question: string) => agent.answer(question),
    scorers: [contains(), concise],
  });

  console.log(`\n${result.dataset.length} examples, the first: ${JSON.stringify(result.dataset[0].toJSON())}`);
  console.log(`offline traces stored: ${backend.traces({ offline: true }).length}`);
  await backend.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
