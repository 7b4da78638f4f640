import type { Child } from 'hono/jsx/dom'
import { useId, useLayoutEffect, useRef, useState } from 'hono/jsx/dom'

export const PAGE_SIZE = 20

/** A column: its header and what a row shows in it; the row header names the row. */
export interface Column<T> {
  header: string
  cell: (item: T) => Child
  rowHeader?: boolean
}

/**
 * The portal's one table of resources: caption, optional search, paging, and row actions in
 * cells. Search and paging work on the items given (the list in place, updated after a change)
 * unless `server` pages through a collection the API filters. When a change removes the row
 * that had the focus, the focus goes to the table (its caption is read), not to the page's top.
 */
export function ResourceTable<T>(props: {
  caption: string
  items: T[]
  columns: Column<T>[]
  empty: string
  /** Text a row is found by; shows a Search field. */
  searchText?: (item: T) => string
  /** Paging done by the API: the page shown and the collection's total. */
  server?: { skip: number; total: number; onSkip: (skip: number) => void }
}) {
  const [query, setQuery] = useState('')
  const [localSkip, setLocalSkip] = useState(0)
  const tableRef = useRef<HTMLTableElement>(null)
  const searchId = useId()
  const needle = query.trim().toLowerCase()
  const matching =
    props.searchText && needle
      ? props.items.filter((item) => props.searchText?.(item).toLowerCase().includes(needle))
      : props.items
  const total = props.server?.total ?? matching.length
  const skip = props.server?.skip ?? Math.min(localSkip, Math.max(0, total - 1))
  const shown = props.server ? matching : matching.slice(skip, skip + PAGE_SIZE)
  const setSkip = (value: number) =>
    props.server ? props.server.onSkip(value) : setLocalSkip(value)

  useLayoutEffect(() => {
    const active = document.activeElement
    if ((active === null || active === document.body) && tableRef.current?.isConnected)
      tableRef.current.focus()
  }, [props.items])

  const first = total === 0 ? 0 : skip + 1
  const last = Math.min(skip + PAGE_SIZE, total)
  return (
    <div class="resource-table">
      {props.searchText && (
        <div class="field search">
          <label for={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            value={query}
            autocomplete="off"
            onInput={(event: Event) => {
              setQuery((event.target as HTMLInputElement).value)
              setLocalSkip(0)
            }}
          />
        </div>
      )}
      {props.items.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <table ref={tableRef} tabindex={-1}>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => (
                <th scope="col">{column.header}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr>
                {props.columns.map((column) =>
                  column.rowHeader ? (
                    <th scope="row">{column.cell(item)}</th>
                  ) : (
                    <td>{column.cell(item)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(total > PAGE_SIZE || skip > 0) && (
        <nav class="pager" aria-label={`Pages of ${props.caption}`}>
          {skip > 0 && (
            <button
              type="button"
              class="secondary small"
              onClick={() => setSkip(Math.max(0, skip - PAGE_SIZE))}
            >
              Previous page
            </button>
          )}
          <span>
            {first}–{last} of {total}
          </span>
          {last < total && (
            <button type="button" class="secondary small" onClick={() => setSkip(skip + PAGE_SIZE)}>
              Next page
            </button>
          )}
        </nav>
      )}
      {props.searchText && needle && (
        <p class="hint" role="status">
          {matching.length} of {props.items.length} match “{query.trim()}”.
        </p>
      )}
    </div>
  )
}
