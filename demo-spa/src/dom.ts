// A tiny element builder for the app shell (main.ts); pages are hono/jsx/dom components. Like
// JSX, it builds DOM nodes, never HTML strings, so text from the server never becomes markup.

export type Child = Node | string | number | false | null | undefined | Child[]
export type Attributes = Record<
  string,
  string | number | boolean | null | undefined | ((event: Event) => void)
>

/**
 * Creates an element. Attributes: `on<type>` adds an event listener, `true` sets an empty
 * attribute, `false`/`null`/`undefined` leave it out, anything else is set as text.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    else if (value === true) element.setAttribute(name, '')
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, String(value))
  }
  element.append(...flatten(children))
  return element
}

function flatten(children: Child[]): (Node | string)[] {
  return children.flatMap((child) => {
    if (Array.isArray(child)) return flatten(child)
    if (child === false || child === null || child === undefined) return []
    return [typeof child === 'number' ? String(child) : child]
  })
}

/** Replaces the element's children. */
export function replaceChildren(element: Element, ...children: Child[]): void {
  element.replaceChildren(...flatten(children))
}

/** Moves focus to an element that is not focusable by itself (a heading after navigation). */
export function focusElement(element: HTMLElement | null | undefined): void {
  if (!element) return
  if (!element.hasAttribute('tabindex') && element.tabIndex < 0)
    element.setAttribute('tabindex', '-1')
  element.focus()
}
