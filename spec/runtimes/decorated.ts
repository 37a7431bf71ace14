// Compiled by matrix.mjs with TypeScript (stage-3 decorators, lowered for ES2022),
// then run on every runtime. `observe` comes in as a parameter, so the output imports nothing.
import type { observe as Observe } from "judgeval";

export function makeAgent(observe: typeof Observe) {
  class Agent {
    @observe({ spanType: "tool" })
    async lookup(question: string): Promise<string> {
      return `answer to ${question}`;
    }

    @observe({ spanType: "agent" })
    async run(question: string): Promise<string> {
      return this.lookup(question);
    }
  }
  return Agent;
}
