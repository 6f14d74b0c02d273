import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { TemplatedHtml } from './template.ts';

/**
 * Turns a hono/jsx tree into the HTML document sent to the browser.
 * hono/jsx escapes every text and attribute value; our components are all synchronous, so the result is a
 * plain string (an async component would be a programming error, caught here rather than sent as "[object Promise]").
 */
export type Renderable = { toString(): string | Promise<string> };

const DOCTYPE = '<!doctype html>';
const DOCTYPE_BYTES = Buffer.from(DOCTYPE);

export function renderPage(node: Renderable): string {
  return `${DOCTYPE}${renderFragment(node)}`;
}

/** What goes to the socket: a templated page as the bytes it was kept as, any other as its text. */
export function pagePayload(node: Renderable | TemplatedHtml): string | Buffer {
  return 'toBytes' in node ? node.toBytes(DOCTYPE_BYTES) : renderPage(node);
}

export function renderFragment(node: Renderable): string {
  const html = node.toString();
  if (typeof html !== 'string' && !(html instanceof String)) {
    throw new TypeError('renderPage: asynchronous components are not supported in views');
  }
  return String(html);
}

/**
 * A part of every page that depends on nothing (the footer, the head's links, the bloc-marque), rendered once at
 * start-up and inserted as it is: walking its tree again on each request was most of a dynamic page's rendering
 * time. Its text was escaped when it was rendered, so it goes in unescaped.
 */
export function prerendered(node: Renderable): HtmlEscapedString {
  return raw(renderFragment(node));
}
