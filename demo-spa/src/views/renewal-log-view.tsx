import type { App } from '../app'
import type { LogEntry } from '../session/renewal-log'
import { useLogEntries } from './use-app-state'

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
export function RenewalLogView(props: { app: App; signal: AbortSignal }) {
  const { app } = props
  const entries = useLogEntries(app, props.signal)
  return (
    <section aria-labelledby="log-heading">
      <h2 id="log-heading">Renewal log</h2>
      <p class="hint">
        Renewals of this tab and the ones it adopted from other tabs (one network renewal for all
        tabs). This tab is <code id="tab-id">{app.auth.tabId.slice(0, 8)}</code>.
      </p>
      <ol id="renewal-log" class="log" aria-live="polite">
        {entries.length === 0 && <li class="empty">Nothing yet.</li>}
        {entries.map((entry) => (
          <li
            class={`log-${entry.kind}`}
            data-kind={entry.kind}
            data-code={entry.code}
            data-duration-ms={entry.durationMs}
            data-network={entry.network === undefined ? undefined : String(entry.network)}
            data-by={entry.by}
          >
            <time datetime={new Date(entry.at).toISOString()}>{timeOf(entry.at)}</time>{' '}
            <strong>{KIND_LABEL[entry.kind]}:</strong>{' '}
            {entry.code ? <code>{entry.code}</code> : null}
            {entry.code ? ' ' : null}
            {entry.text}
          </li>
        ))}
      </ol>
      <p>
        <button type="button" class="secondary" onClick={() => app.log.clear()}>
          Clear log
        </button>
      </p>
    </section>
  )
}

function timeOf(at: number): string {
  const date = new Date(at)
  return `${date.toLocaleTimeString()}.${String(date.getMilliseconds()).padStart(3, '0')}`
}
