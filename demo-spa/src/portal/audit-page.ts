import { h } from '../dom'
import { type Page, pageQuery } from './api'
import { PAGE_SIZE, pager, readSkip } from './pager'
import { page, portalView } from './portal-view'
import { type AuditEvent, formatDate } from './resources'

/** The tenant's audit log, newest first (never a secret in it). */
export const auditPage = portalView('Audit log', async ({ app, query }) => {
  const skip = readSkip(query)
  const events = await app.api().get<Page<AuditEvent>>(`/audit-events${pageQuery(skip, PAGE_SIZE)}`)
  const table =
    events.total === 0
      ? h('p', null, 'No events yet.')
      : h(
          'table',
          null,
          h('caption', null, 'Audit events, newest first'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Time', 'Action', 'Actor', 'Target', 'Details'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            events.items.map((event) =>
              h(
                'tr',
                null,
                h(
                  'td',
                  null,
                  h('time', { datetime: event.occurredAt }, formatDate(event.occurredAt)),
                ),
                h('th', { scope: 'row' }, h('code', { class: 'nowrap' }, event.action)),
                h(
                  'td',
                  null,
                  `${event.actorType} `,
                  event.actorId && h('code', null, event.actorId),
                ),
                h(
                  'td',
                  null,
                  event.targetType
                    ? [`${event.targetType} `, h('code', null, event.targetId ?? '')]
                    : '—',
                ),
                h(
                  'td',
                  null,
                  Object.keys(event.details).length
                    ? h('code', { class: 'details' }, JSON.stringify(event.details))
                    : '—',
                ),
              ),
            ),
          ),
        )
  return page(
    'Audit log',
    table,
    pager(events.total, skip, (s) => `/audit?skip=${s}`),
  )
})
