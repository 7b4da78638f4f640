// Path routing with the History API: links inside the app are intercepted, the browser's back
// and forward buttons work, and every route renders into the same container.

export interface Route {
  /** Named segments of the matched pattern (`/clients/:kind/:id`). */
  params: Record<string, string>
  query: URLSearchParams
}

export interface RouteDefinition<T> {
  pattern: string
  view: T
}

/** Matches a path against `/a/:name/b` patterns; answers the params or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/').filter(Boolean)
  const actual = path.split('/').filter(Boolean)
  if (expected.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] as string
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(value)
    else if (segment !== value) return undefined
  }
  return params
}

/** The first route that matches the current location, with its params. */
export function resolve<T>(routes: RouteDefinition<T>[], url: URL) {
  for (const route of routes) {
    const params = matchPath(route.pattern, url.pathname)
    if (params) return { view: route.view, route: { params, query: url.searchParams } }
  }
  return undefined
}

/**
 * Calls `onNavigate` for history navigations and for clicks on same-origin links (unless
 * modified clicks, downloads or other targets), and answers a `navigate(href)` function.
 */
export function startRouter(onNavigate: (userInitiated: boolean) => void) {
  const navigate = (href: string, options: { replace?: boolean } = {}) => {
    if (options.replace) history.replaceState(null, '', href)
    else history.pushState(null, '', href)
    onNavigate(true)
  }
  addEventListener('popstate', () => onNavigate(true))
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a')
    if (
      !link ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      link.target ||
      link.hasAttribute('download') ||
      link.origin !== location.origin ||
      link.pathname === '/silent-callback.html' ||
      // In-page anchors (the skip link) keep their native behaviour.
      (link.hash && link.pathname === location.pathname && link.search === location.search)
    ) {
      return
    }
    event.preventDefault()
    navigate(link.pathname + link.search + link.hash)
  })
  return navigate
}
