import { UsageError } from './cli-error.js';

/**
 * Turns `key=value` words into tool arguments. A value is JSON where it parses (numbers,
 * booleans, null, "quoted", [..], {..}); lists and objects whose quotes the shell removed
 * (`capabilities=[echo,time]`, `options={persistence:sqlite}`) are read with bare words as
 * strings; anything else is a plain string.
 */
export function parseAssignments(words: string[]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const word of words) {
    const at = word.indexOf('=');
    if (at <= 0) throw new UsageError(`expected key=value, got "${word}"`);
    const key = word.slice(0, at);
    if (Object.hasOwn(args, key)) throw new UsageError(`"${key}" given twice`);
    args[key] = parseValue(word.slice(at + 1), key);
  }
  return args;
}

export function parseValue(raw: string, key = 'value'): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    const text = raw.trim();
    if (!text.startsWith('[') && !text.startsWith('{')) return raw;
    try {
      const reader = new RelaxedReader(text);
      const value = reader.value();
      reader.end();
      return value;
    } catch (err) {
      throw new UsageError(`cannot read the value of ${key}: ${(err as Error).message}`);
    }
  }
}

const VALUE_END = ',]}';
const KEY_END = ':,}';

/** JSON where strings may be bare words: `[a, b]`, `{k: v, n: 2}`. */
class RelaxedReader {
  private at = 0;

  constructor(private readonly text: string) {}

  value(): unknown {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '[') return this.list();
    if (c === '{') return this.object();
    if (c === '"') return this.quoted();
    return this.bare();
  }

  end(): void {
    this.skipSpace();
    if (this.at < this.text.length) throw new Error(`unexpected "${this.text.slice(this.at, this.at + 10)}"`);
  }

  private list(): unknown[] {
    const items: unknown[] = [];
    this.at++;
    if (this.peek() === ']') return this.at++, items;
    for (;;) {
      items.push(this.value());
      if (this.expect(',', ']') === ']') return items;
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    if (this.peek() === '}') return this.at++, out;
    for (;;) {
      this.skipSpace();
      const key = this.text[this.at] === '"' ? this.quoted() : this.bareWord(KEY_END);
      this.expect(':');
      out[key] = this.value();
      if (this.expect(',', '}') === '}') return out;
    }
  }

  private quoted(): string {
    const close = /"(?:[^"\\]|\\.)*"/y;
    close.lastIndex = this.at;
    const m = close.exec(this.text);
    if (!m) throw new Error('unterminated string');
    this.at += m[0].length;
    return JSON.parse(m[0]);
  }

  /** A bare word is JSON if it parses as a scalar (2, true, null), a string otherwise. */
  private bare(): unknown {
    const word = this.bareWord(VALUE_END);
    try {
      return JSON.parse(word);
    } catch {
      return word;
    }
  }

  private bareWord(stops: string): string {
    const start = this.at;
    while (this.at < this.text.length && !stops.includes(this.text[this.at]!)) this.at++;
    const word = this.text.slice(start, this.at).trim();
    if (!word) throw new Error(`a value is missing at position ${start + 1}`);
    return word;
  }

  private expect(...chars: string[]): string {
    const c = this.peek();
    if (c === undefined || !chars.includes(c)) throw new Error(`expected ${chars.map((x) => `"${x}"`).join(' or ')} at position ${this.at + 1}`);
    this.at++;
    return c;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.at];
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }
}
