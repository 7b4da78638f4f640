import type { Child } from 'hono/jsx/dom'
import { useId, useState } from 'hono/jsx/dom'

/**
 * ARIA tabs (WAI-ARIA APG "Tabs", automatic activation): one tab stop, arrow keys, Home and End
 * move between the tabs; the panel is labelled by its tab.
 */
export function Tabs(props: { label: string; tabs: { label: string; panel: () => Child }[] }) {
  const [selected, setSelected] = useState(0)
  const base = useId()
  const count = props.tabs.length
  const select = (index: number, list: Element | null) => {
    setSelected(index)
    list?.querySelectorAll<HTMLElement>('[role="tab"]')[index]?.focus()
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const list = (event.currentTarget as HTMLElement | null) ?? null
    const next = {
      ArrowRight: (selected + 1) % count,
      ArrowLeft: (selected - 1 + count) % count,
      Home: 0,
      End: count - 1,
    }[event.key]
    if (next === undefined) return
    event.preventDefault()
    select(next, list)
  }
  const current = props.tabs[selected]
  return (
    <div class="tabs-widget">
      <div role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
        {props.tabs.map((tab, index) => (
          <button
            type="button"
            role="tab"
            id={`${base}-tab-${index}`}
            aria-selected={index === selected ? 'true' : 'false'}
            aria-controls={`${base}-panel`}
            tabindex={index === selected ? 0 : -1}
            onClick={() => setSelected(index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${selected}`}
        tabindex={0}
      >
        {current?.panel()}
      </div>
    </div>
  )
}
