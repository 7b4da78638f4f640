import { useId, useState } from 'hono/jsx/dom'
import type { Page as ApiPage, ManagementApi } from './api'
import {
  ALL,
  type AuditEvent,
  CLIENT_TYPES,
  type Client,
  formatDate,
  type Role,
  type User,
} from './resources'
import { Loading, Page } from './ui/page'
import { PAGE_SIZE, ResourceTable } from './ui/resource-table'
import { useLoad } from './ui/use-load'

/** The actions the server records (`<resource>.<verb>`), for the Action filter. */
const ACTIONS = [
  'client.created',
  'client.replaced',
  'client.deleted',
  'client.auth_failures',
  'client_secret.added',
  'client_secret.deleted',
  'role.created',
  'role.replaced',
  'role.deleted',
  'user.created',
  'user.replaced',
  'user.deleted',
  'user.password_set',
  'user.password_reset_link_created',
  'tenant.created',
  'tenant.demo_seeded',
]

/**
 * Names of the tenant's users (email and name), clients and roles by id. The API has no name
 * lookup for audit events, so the portal reads the collections (at most 1000 of each) once;
 * a deleted resource is shown by its id.
 */
async function loadNames(api: ManagementApi): Promise<Map<string, string>> {
  const [users, roles, ...clients] = await Promise.all([
    api.get<ApiPage<User>>(`/users${ALL}`),
    api.get<ApiPage<Role>>(`/roles${ALL}`),
    ...Object.values(CLIENT_TYPES).map((info) =>
      api.get<ApiPage<Client>>(`/${info.collection}${ALL}`),
    ),
  ])
  const names = new Map<string, string>()
  for (const user of users.items)
    names.set(user.id, user.name ? `${user.name} (${user.email})` : user.email)
  for (const role of roles.items) names.set(role.id, role.name)
  for (const page of clients) for (const client of page.items) names.set(client.id, client.name)
  return names
}

/** The date input's day as the API's bound: the start of that local day. */
const dayStart = (date: string, plusDays = 0) => {
  const day = new Date(`${date}T00:00:00`)
  day.setDate(day.getDate() + plusDays)
  return day.toISOString()
}

/**
 * Audit events, newest first, with the actor and target by name or email; filtered by action
 * and date range (the API filters and pages), or by one target (a client's Audit Log tab).
 */
export function AuditTable(props: { targetId?: string; caption: string; filters?: boolean }) {
  const [filter, setFilter] = useState({ action: '', from: '', to: '' })
  const [skip, setSkip] = useState(0)
  const query = new URLSearchParams({ skip: String(skip), count: String(PAGE_SIZE) })
  if (props.targetId) query.set('targetId', props.targetId)
  if (filter.action) query.set('action', filter.action)
  if (filter.from) query.set('since', dayStart(filter.from))
  if (filter.to) query.set('until', dayStart(filter.to, 1))
  const events = useLoad(
    (api) => api.get<ApiPage<AuditEvent>>(`/audit-events?${query}`),
    query.toString(),
  )
  const names = useLoad(loadNames)
  const ids = { action: useId(), from: useId(), to: useId() }
  const change = (patch: Partial<typeof filter>) => {
    setFilter({ ...filter, ...patch })
    setSkip(0)
  }
  const nameOf = (id: string | null | undefined) =>
    id ? (names.data?.get(id) ?? <code>{id}</code>) : '—'
  return (
    <>
      {props.filters && (
        <fieldset class="filters">
          <legend>Filters</legend>
          <div class="field inline">
            <label for={ids.action}>Action</label>
            <select
              id={ids.action}
              onChange={(event: Event) =>
                change({ action: (event.target as HTMLSelectElement).value })
              }
            >
              <option value="" selected={filter.action === ''}>
                All actions
              </option>
              {ACTIONS.map((action) => (
                <option value={action} selected={filter.action === action}>
                  {action}
                </option>
              ))}
            </select>
          </div>
          <div class="field inline">
            <label for={ids.from}>From</label>
            <input
              id={ids.from}
              type="date"
              value={filter.from}
              onChange={(event: Event) =>
                change({ from: (event.target as HTMLInputElement).value })
              }
            />
          </div>
          <div class="field inline">
            <label for={ids.to}>To</label>
            <input
              id={ids.to}
              type="date"
              value={filter.to}
              onChange={(event: Event) => change({ to: (event.target as HTMLInputElement).value })}
            />
          </div>
        </fieldset>
      )}
      {events.data === undefined ? (
        <Loading error={events.error} />
      ) : (
        <ResourceTable
          caption={props.caption}
          items={events.data.items}
          empty="No events."
          server={{ skip, total: events.data.total, onSkip: setSkip }}
          columns={[
            {
              header: 'Time',
              cell: (event) => (
                <time datetime={event.occurredAt}>{formatDate(event.occurredAt)}</time>
              ),
            },
            {
              header: 'Action',
              rowHeader: true,
              cell: (event) => <code class="nowrap">{event.action}</code>,
            },
            {
              header: 'Actor',
              cell: (event) => (
                <>
                  {event.actorType}: {nameOf(event.actorId)}
                </>
              ),
            },
            {
              header: 'Target',
              cell: (event) =>
                event.targetType ? (
                  <>
                    {event.targetType}: {nameOf(event.targetId)}
                  </>
                ) : (
                  '—'
                ),
            },
            {
              header: 'Details',
              cell: (event) =>
                Object.keys(event.details).length ? (
                  <code class="details">{JSON.stringify(event.details)}</code>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
    </>
  )
}

/** The tenant's audit log (never a secret in it). */
export function AuditPage() {
  return (
    <Page title="Audit log">
      <AuditTable caption="Audit events, newest first" filters />
    </Page>
  )
}
