// The page's two DOM helpers, shared by its modules. Text is set as text, never as markup.

export const $ = (selector) => document.querySelector(selector);

/** A new `tag` element holding `text` (as text), with `className`. */
export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
