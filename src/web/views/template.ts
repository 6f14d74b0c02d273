import { escapeToBuffer } from 'hono/utils/html';
import { renderFragment, type Renderable } from './render.ts';

/**
 * What a templated view is given. Its strings are its values: the view places them (as text, in attributes, joined
 * with other strings) and never inspects them. Everything else is its structure: null or not, true or false, a
 * number, how many items a list has, whether a string is empty.
 */
export type TemplateModel = string | number | boolean | null | undefined | readonly TemplateModel[] | { readonly [key: string]: TemplateModel };

/** A mark no value can break: private-use characters, which hono/jsx does not escape. */
const MARK = /\uE000(\d+)\uE001/g;
const mark = (index: number) => `\uE000${index}\uE001`;

interface Compiled {
  /** The markup between the values: one more than `slots`. */
  chunks: string[];
  /** The same, encoded once: the page goes to the socket as bytes, never encoded again as a whole. */
  encoded: Buffer[];
  encodedLength: number;
  /** Which value goes after each chunk but the last (a value may appear several times, or not at all). */
  slots: number[];
}

/** The model's strings in order, and a key of its structure (walked on every request: no copy is made). */
function read(model: TemplateModel, values: string[], shape: string[]): void {
  if (typeof model === 'string') {
    if (model !== '') values.push(model);
    shape.push(model === '' ? 'e' : 's');
  } else if (model === null || typeof model !== 'object') {
    shape.push(String(model));
  } else if (Array.isArray(model)) {
    shape.push('[');
    for (const item of model as readonly TemplateModel[]) read(item, values, shape);
    shape.push(']');
  } else {
    shape.push('{');
    const record = model as { readonly [key: string]: TemplateModel };
    for (const key in record) {
      shape.push(key);
      read(record[key], values, shape);
    }
    shape.push('}');
  }
}

/** The model with each non-empty string replaced by its mark, in the order `read` takes them. */
function marked(model: TemplateModel, counter: { next: number }): TemplateModel {
  if (typeof model === 'string') return model === '' ? model : mark(counter.next++);
  if (model === null || typeof model !== 'object') return model;
  if (Array.isArray(model)) return (model as readonly TemplateModel[]).map((item) => marked(item, counter));
  const record = model as { readonly [key: string]: TemplateModel };
  const copy: { [key: string]: TemplateModel } = {};
  for (const key in record) copy[key] = marked(record[key], counter);
  return copy;
}

function compile(html: string, valueCount: number): Compiled | null {
  const chunks: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const found of html.matchAll(MARK)) {
    const slot = Number(found[1]);
    if (slot >= valueCount) return null;
    chunks.push(html.slice(last, found.index));
    slots.push(slot);
    last = found.index + found[0].length;
  }
  chunks.push(html.slice(last));
  const encoded = chunks.map((chunk) => Buffer.from(chunk));
  return { chunks, encoded, encodedLength: encoded.reduce((sum, chunk) => sum + chunk.length, 0), slots };
}

function escape(value: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(value, buffer);
  return buffer[0];
}

/** A templated view's output: inserted as it is in a larger tree (already escaped), or sent as bytes. */
export interface TemplatedHtml {
  readonly isEscaped: true;
  toString(): string;
  /** `prefix` (the doctype) then the page, as UTF-8. */
  toBytes(prefix: Uint8Array): Buffer;
}

class FilledTemplate implements TemplatedHtml {
  readonly isEscaped = true;
  readonly #escaped: readonly string[];
  constructor(
    private readonly compiled: Compiled,
    values: readonly string[],
  ) {
    this.#escaped = values.map(escape);
  }

  toString(): string {
    const { chunks, slots } = this.compiled;
    let html = chunks[0]!;
    for (let i = 0; i < slots.length; i++) html += this.#escaped[slots[i]!]! + chunks[i + 1]!;
    return html;
  }

  toBytes(prefix: Uint8Array): Buffer {
    const { encoded, encodedLength, slots } = this.compiled;
    const escaped = this.#escaped;
    const sizes = escaped.map((value) => Buffer.byteLength(value));
    let total = prefix.length + encodedLength;
    for (const slot of slots) total += sizes[slot]!;
    // One allocation, the markup copied and the values encoded straight into it.
    const bytes = Buffer.allocUnsafe(total);
    bytes.set(prefix, 0);
    let at = prefix.length;
    at += encoded[0]!.copy(bytes, at);
    for (let i = 0; i < slots.length; i++) {
      at += bytes.write(escaped[slots[i]!]!, at);
      at += encoded[i + 1]!.copy(bytes, at);
    }
    return bytes;
  }
}

class RenderedHtml implements TemplatedHtml {
  readonly isEscaped = true;
  constructor(private readonly html: string) {}
  toString(): string {
    return this.html;
  }
  toBytes(prefix: Uint8Array): Buffer {
    return Buffer.concat([prefix, Buffer.from(this.html)]);
  }
}

/**
 * A view rendered once per structure of its model and then filled in, instead of walking its whole tree on each
 * request: the review page's tree was most of its cost. The markup is rendered with marks in place of the model's
 * strings, split at the marks, and kept per structure (a few dozen at most for a page: which blocks show, how many
 * people are listed), so no cached markup holds anyone's data. Values are escaped as hono/jsx escapes them, text or
 * attribute alike.
 *
 * The first render of each structure is checked against the view rendered directly with the real model: a view that
 * inspects its strings (which the model's contract forbids) gets a different result, and is then always rendered
 * directly for that structure — slower, never wrong. Beyond `maxShapes` structures, new ones are rendered directly.
 */
export interface TemplatedView<M> {
  (model: M): TemplatedHtml;
  /** How many structures had to be rendered directly because the view inspects its strings: 0 for a sound view. */
  readonly unsoundShapes: () => number;
}

export function templated<M extends TemplateModel>(view: (model: M) => Renderable, options: { maxShapes?: number } = {}): TemplatedView<M> {
  const maxShapes = options.maxShapes ?? 256;
  const compiledByShape = new Map<string, Compiled | 'direct'>();
  const direct = (model: M) => renderFragment(view(model));
  const render = (model: M) => {
    const values: string[] = [];
    const parts: string[] = [];
    read(model, values, parts);
    const shape = parts.join(',');
    const known = compiledByShape.get(shape);
    if (known === 'direct') return new RenderedHtml(direct(model));
    if (known) return new FilledTemplate(known, values);
    const rendered = direct(model);
    if (compiledByShape.size < maxShapes) {
      const compiled = compile(renderFragment(view(marked(model, { next: 0 }) as M)), values.length);
      compiledByShape.set(shape, compiled && new FilledTemplate(compiled, values).toString() === rendered ? compiled : 'direct');
    }
    return new RenderedHtml(rendered);
  };
  return Object.assign(render, { unsoundShapes: () => [...compiledByShape.values()].filter((compiled) => compiled === 'direct').length });
}
