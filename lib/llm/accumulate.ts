/** A tool call as assembled from streamed fragments. */
export interface StreamedToolCall {
  id?: string;
  name?: string;
  arguments: string;
}

/**
 * The visible result of a streamed response: its text, plus any tool calls whose names and
 * argument fragments arrive spread over chunks (keyed by the provider's index).
 */
export class StreamedOutput {
  private readonly text: string[] = [];
  /** Made with the first tool call: most streams carry none. */
  private tools: Map<string | number, StreamedToolCall> | undefined;

  addText(text: unknown): void {
    if (typeof text === "string") this.text.push(text);
  }

  /** Adds to the tool call at `key`: id and name when given, `argumentsDelta` appended. */
  addTool(key: string | number, part: { id?: string; name?: string; argumentsDelta?: unknown }): void {
    const tools = (this.tools ??= new Map<string | number, StreamedToolCall>());
    let tool = tools.get(key);
    if (!tool) tools.set(key, (tool = { arguments: "" }));
    if (part.id) tool.id = part.id;
    if (part.name) tool.name = part.name;
    if (typeof part.argumentsDelta === "string") tool.arguments += part.argumentsDelta;
  }

  /** The text alone, or `{ content, tool_calls }` when tools were called. */
  value(): unknown {
    const content = this.text.join("");
    return this.tools ? { content, tool_calls: [...this.tools.values()] } : content;
  }

  get empty(): boolean {
    return this.text.length === 0 && this.tools === undefined;
  }
}
