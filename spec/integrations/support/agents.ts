/** The outline of one Agents SDK run of the "Weather" agent that calls get_weather once, under `root`. */
export function weatherRunOutline(root: string): string[] {
  return [
    `${root} (span)`,
    "  Agent workflow (span)",
    "    Weather (agent)",
    "      turn 1 (span)",
    "        response (llm)",
    "        get_weather (tool)",
    "      turn 2 (span)",
    "        response (llm)",
  ];
}
