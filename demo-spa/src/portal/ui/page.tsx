import type { Child } from 'hono/jsx/dom'
import { useEffect, useRef } from 'hono/jsx/dom'
import { ApiProblem } from '../api'
import { usePortal } from './portal-context'

/**
 * A heading that takes the focus when it appears, if the portal asks for it (after a navigation
 * the user started, or a step of a form): pages never move the focus by hand.
 */
export function FocusHeading(props: {
  level: 2 | 3
  id?: string
  children: Child
  /** Take the focus on appearing whatever the navigation (a new step of a form). */
  always?: boolean
}) {
  const { focus } = usePortal()
  const ref = useRef<HTMLHeadingElement>(null)
  // After the frame is painted: a new subtree is built before it joins the document, where
  // focus() would do nothing.
  useEffect(() => {
    if (!(focus.pending || props.always)) return
    focus.pending = false
    ref.current?.focus()
  }, [])
  const Tag = props.level === 2 ? 'h2' : 'h3'
  return (
    <Tag id={props.id} ref={ref} tabindex={-1}>
      {props.children}
    </Tag>
  )
}

/** A page of the portal: its heading (`#page-heading`) and content. */
export function Page(props: { title: string; children?: Child }) {
  return (
    <section aria-labelledby="page-heading">
      <FocusHeading level={2} id="page-heading">
        {props.title}
      </FocusHeading>
      {props.children}
    </section>
  )
}

/** An error alert with the API's problem title and detail. */
export function ErrorAlert(props: { error: unknown }) {
  const { error } = props
  const text = error instanceof ApiProblem || error instanceof Error ? error.message : String(error)
  return (
    <div class="alert" role="alert">
      <strong>Error: </strong>
      {text}
    </div>
  )
}

/** What a page shows while its data loads, or when it could not. */
export function Loading(props: { error?: unknown }) {
  return props.error === undefined ? (
    <p aria-busy="true">Loading…</p>
  ) : (
    <ErrorAlert error={props.error} />
  )
}
