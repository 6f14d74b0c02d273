import { escapeToBuffer, raw, type HtmlEscapedString } from 'hono/utils/html';
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
  /** Which value goes after each chunk but the last (a value may appear several times, or not at all). */
  slots: number[];
}

/** The model with each non-empty string replaced by a mark, its strings in order, and a key of its structure. */
function standIn(model: TemplateModel, values: string[]): { model: TemplateModel; shape: string } {
  if (typeof model === 'string') {
    if (model === '') return { model, shape: 'e' };
    values.push(model);
    return { model: mark(values.length - 1), shape: 's' };
  }
  if (model === null || model === undefined || typeof model !== 'object') return { model, shape: String(model) };
  if (Array.isArray(model)) {
    const items = (model as readonly TemplateModel[]).map((item) => standIn(item, values));
    return { model: items.map((item) => item.model), shape: `[${items.map((item) => item.shape).join(',')}]` };
  }
  const entries = Object.entries(model).map(([key, value]) => [key, standIn(value, values)] as const);
  return {
    model: Object.fromEntries(entries.map(([key, value]) => [key, value.model])),
    shape: `{${entries.map(([key, value]) => `${key}:${value.shape}`).join(',')}}`,
  };
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
  return { chunks, slots };
}

function fill(compiled: Compiled, values: readonly string[]): string {
  const escaped = values.map((value) => {
    const buffer: [string] = [''];
    escapeToBuffer(value, buffer);
    return buffer[0];
  });
  let html = compiled.chunks[0]!;
  for (let i = 0; i < compiled.slots.length; i++) html += escaped[compiled.slots[i]!]! + compiled.chunks[i + 1]!;
  return html;
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
  (model: M): HtmlEscapedString;
  /** How many structures had to be rendered directly because the view inspects its strings: 0 for a sound view. */
  readonly unsoundShapes: () => number;
}

export function templated<M extends TemplateModel>(view: (model: M) => Renderable, options: { maxShapes?: number } = {}): TemplatedView<M> {
  const maxShapes = options.maxShapes ?? 256;
  const compiledByShape = new Map<string, Compiled | 'direct'>();
  const direct = (model: M) => renderFragment(view(model));
  const render = (model: M) => {
    const values: string[] = [];
    const { model: marked, shape } = standIn(model, values);
    const known = compiledByShape.get(shape);
    if (known === 'direct') return raw(direct(model));
    if (known) return raw(fill(known, values));
    const rendered = direct(model);
    if (compiledByShape.size < maxShapes) {
      const compiled = compile(renderFragment(view(marked as M)), values.length);
      compiledByShape.set(shape, compiled && fill(compiled, values) === rendered ? compiled : 'direct');
    }
    return raw(rendered);
  };
  return Object.assign(render, { unsoundShapes: () => [...compiledByShape.values()].filter((compiled) => compiled === 'direct').length });
}
