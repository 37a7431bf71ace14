/**
 * The tokenizer the parameter reader runs over a function's source text: the few token kinds it
 * needs, with strings, templates, regexes and comments skipped whole.
 */

type TokenKind = "ident" | "punct" | "literal";

export interface Token {
  kind: TokenKind;
  text: string;
}

const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);

/** How a token changes the bracket depth: +1, -1 or 0. */
export function nesting(text: string): number {
  return OPENERS.has(text) ? 1 : CLOSERS.has(text) ? -1 : 0;
}

/** Words after which a `/` starts a regular expression rather than a division. */
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

const WHITESPACE = /\s/;
const IDENT_CHAR = /[\w$\\]/;

function isIdentChar(c: string): boolean {
  return IDENT_CHAR.test(c) || c.charCodeAt(0) > 0x7f;
}

/** Splits source text into the few token kinds the reader needs. */
export class Scanner {
  private pos = 0;
  private last: Token | undefined;

  constructor(private readonly src: string) {}

  next(): Token | undefined {
    this.skipTrivia();
    const { src } = this;
    const start = this.pos;
    if (start >= src.length) return undefined;
    const c = src[start];
    let kind: TokenKind = "literal";
    if (c === '"' || c === "'") this.skipQuoted(c);
    else if (c === "`") this.skipTemplate();
    else if (c === "/" && this.regexAllowed()) this.skipRegex();
    else if (isIdentChar(c)) {
      kind = "ident";
      while (this.pos < src.length && isIdentChar(src[this.pos])) this.pos++;
    } else {
      kind = "punct";
      this.pos += src.startsWith("...", start) ? 3 : src.startsWith("=>", start) ? 2 : 1;
    }
    const token = { kind, text: src.slice(start, this.pos) };
    this.last = token;
    return token;
  }

  private skipTrivia(): void {
    const { src } = this;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (WHITESPACE.test(c)) this.pos++;
      else if (src.startsWith("//", this.pos)) this.skipPast("\n", this.pos + 2);
      else if (src.startsWith("/*", this.pos)) this.skipPast("*/", this.pos + 2);
      else return;
    }
  }

  private skipPast(terminator: string, from: number): void {
    const at = this.src.indexOf(terminator, from);
    this.pos = at < 0 ? this.src.length : at + terminator.length;
  }

  private regexAllowed(): boolean {
    const last = this.last;
    if (last === undefined) return true;
    if (last.kind === "literal") return false;
    if (last.kind === "ident") return KEYWORDS_BEFORE_EXPRESSION.has(last.text);
    return !CLOSERS.has(last.text);
  }

  private skipQuoted(quote: string): void {
    const { src } = this;
    let i = this.pos + 1;
    while (i < src.length && src[i] !== quote) i += src[i] === "\\" ? 2 : 1;
    this.pos = Math.min(i + 1, src.length);
  }

  private skipTemplate(): void {
    const { src } = this;
    let i = this.pos + 1;
    while (i < src.length) {
      const c = src[i];
      if (c === "\\") i += 2;
      else if (c === "`") break;
      else if (c === "$" && src[i + 1] === "{") {
        this.pos = i + 2;
        this.skipGroup();
        i = this.pos;
      } else i++;
    }
    this.pos = Math.min(i + 1, src.length);
  }

  /** Skips tokens up to and including the bracket closing one already read
   * (a `${` substitution, a computed name's `[`); false if it never closes. */
  skipGroup(): boolean {
    for (let depth = 0; depth >= 0;) {
      const t = this.next();
      if (t === undefined) return false;
      depth += nesting(t.text);
    }
    return true;
  }

  private skipRegex(): void {
    const { src } = this;
    let i = this.pos + 1;
    let inClass = false;
    for (; i < src.length && src[i] !== "\n"; i++) {
      const c = src[i];
      if (c === "\\") i++;
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
    }
    i++;
    while (i < src.length && isIdentChar(src[i])) i++; // flags
    this.pos = Math.min(i, src.length);
  }
}
