import { h } from '../dom'

export const PAGE_SIZE = 20

/** `skip` from the query, a non-negative integer. */
export function readSkip(query: URLSearchParams): number {
  const skip = Number(query.get('skip') ?? 0)
  return Number.isInteger(skip) && skip > 0 ? skip : 0
}

/** Previous/next links and "21–40 of 45"; `href(skip)` builds a page's address. */
export function pager(total: number, skip: number, href: (skip: number) => string): HTMLElement {
  const first = total === 0 ? 0 : skip + 1
  const last = Math.min(skip + PAGE_SIZE, total)
  const previous =
    skip > 0 &&
    h('a', { href: href(Math.max(0, skip - PAGE_SIZE)), rel: 'prev' }, '← Previous page')
  const next = last < total && h('a', { href: href(skip + PAGE_SIZE), rel: 'next' }, 'Next page →')
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    previous,
    h('span', null, `${first}–${last} of ${total}`),
    next,
  )
}
