import type { App } from '../app'
import { h, replaceChildren } from '../dom'
import type { LogEntry } from '../session/renewal-log'

const KIND_LABEL: Record<LogEntry['kind'], string> = {
  renewed: 'Renewed',
  failed: 'Error',
  'signed-in': 'Signed in',
  'signed-out': 'Signed out',
  fallback: 'Fallback',
  info: 'Info',
}

/**
 * The renewal log: newest first, each entry with its time, a text label of its kind (never
 * color alone), and data attributes the tests and the latency script read.
 */
export function renewalLogView(app: App, signal: AbortSignal): HTMLElement {
  const list = h('ol', { id: 'renewal-log', class: 'log', 'aria-live': 'polite' })
  const render = (entries: readonly LogEntry[]) =>
    replaceChildren(
      list,
      entries.length === 0 && h('li', { class: 'empty' }, 'Nothing yet.'),
      entries.map((entry) =>
        h(
          'li',
          {
            class: `log-${entry.kind}`,
            'data-kind': entry.kind,
            'data-code': entry.code,
            'data-duration-ms': entry.durationMs,
            'data-network': entry.network === undefined ? undefined : String(entry.network),
            'data-by': entry.by,
          },
          h('time', { datetime: new Date(entry.at).toISOString() }, timeOf(entry.at)),
          ' ',
          h('strong', null, `${KIND_LABEL[entry.kind]}:`),
          ' ',
          entry.code ? [h('code', null, entry.code), ' '] : null,
          entry.text,
        ),
      ),
    )
  render(app.log.entries())
  app.log.subscribe(render, signal)
  return h(
    'section',
    { 'aria-labelledby': 'log-heading' },
    h('h2', { id: 'log-heading' }, 'Renewal log'),
    h(
      'p',
      { class: 'hint' },
      'Renewals of this tab and the ones it adopted from other tabs (one network renewal for ' +
        'all tabs). This tab is ',
      h('code', { id: 'tab-id' }, app.auth.tabId.slice(0, 8)),
      '.',
    ),
    list,
    h(
      'p',
      null,
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => app.log.clear() },
        'Clear log',
      ),
    ),
  )
}

function timeOf(at: number): string {
  const date = new Date(at)
  return `${date.toLocaleTimeString()}.${String(date.getMilliseconds()).padStart(3, '0')}`
}
