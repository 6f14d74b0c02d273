/**
 * Turns a hono/jsx tree into the HTML document sent to the browser.
 * hono/jsx escapes every text and attribute value; our components are all synchronous, so the result is a
 * plain string (an async component would be a programming error, caught here rather than sent as "[object Promise]").
 */
export type Renderable = { toString(): string | Promise<string> };

export function renderPage(node: Renderable): string {
  const html = node.toString();
  if (typeof html !== 'string' && !(html instanceof String)) {
    throw new TypeError('renderPage: asynchronous components are not supported in views');
  }
  return `<!doctype html>${String(html)}`;
}
