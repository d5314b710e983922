// DOM helpers: user text only ever goes in through textContent (never innerHTML), so markup in a message or a name
// shows as the characters typed.

type Child = Node | string | null | undefined | false

/** `<tag attrs>children</tag>`; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value)
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    element.append(typeof child === 'string' ? document.createTextNode(child) : child)
  }
  return element
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id)
  if (!element) throw new Error(`#${id} is missing from index.html`)
  return element as T
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' })

/** A `<time>` for an ISO-8601 instant, shown in the reader's locale. */
export function time(iso: string): HTMLTimeElement {
  const date = new Date(iso)
  return h('time', { datetime: iso }, Number.isNaN(date.getTime()) ? '' : timeFormat.format(date))
}
