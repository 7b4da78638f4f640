import type { Child } from 'hono/jsx/dom'
import { useEffect, useId, useRef, useState } from 'hono/jsx/dom'

/**
 * A modal `<dialog>` (the browser keeps the focus inside it and closes it on Escape). It focuses
 * the element marked `data-autofocus` (or its first control) when it opens, and gives the focus
 * back to what had it before when it goes away, or to the page heading if that is gone: the one
 * place the portal moves the focus for dialogs.
 */
export function Dialog(props: {
  title: string
  role?: 'dialog' | 'alertdialog'
  /** Called when the user closes it (Escape, or a button calling it). */
  onClose: () => void
  children: Child
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  // After the frame: showModal() needs the dialog in the document, which a new subtree is not
  // while it is built.
  useEffect(() => {
    const dialog = ref.current
    if (!dialog?.isConnected) return
    const opener = document.activeElement as HTMLElement | null
    const onCancel = (event: Event) => {
      event.preventDefault()
      props.onClose()
    }
    dialog.addEventListener('cancel', onCancel)
    dialog.showModal()
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('input:not([disabled]), textarea, select, button')
    first?.focus()
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
      // After the removal: the opener may go with the change the dialog made (a deleted row).
      queueMicrotask(() => restoreFocus(opener))
    }
  }, [])
  return (
    <dialog ref={ref} role={props.role} aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  )
}

/** Focus back to `element` if it is still in the page, else to the page heading. */
export function restoreFocus(element: HTMLElement | null): void {
  if (element?.isConnected && element !== document.body) element.focus()
  else document.getElementById('page-heading')?.focus()
}

/** Asks to confirm a destructive action; the safe choice has the focus (WAI-ARIA APG). */
export function ConfirmDialog(props: {
  title: string
  message: string
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
}) {
  return (
    <Dialog title={props.title} role="alertdialog" onClose={props.onCancel}>
      <p>{props.message}</p>
      <p class="actions">
        <button type="button" class="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button type="button" class="secondary" data-autofocus onClick={props.onCancel}>
          Cancel
        </button>
      </p>
    </Dialog>
  )
}

/**
 * A read-only value with a `Copy` button, grouped under its label (so two values in a dialog
 * each have a button named Copy, told apart by their group).
 */
export function CopyField(props: { label: string; value: string; id?: string }) {
  const generated = useId()
  const id = props.id ?? generated
  const [status, setStatus] = useState('')
  const copy = async (event: Event) => {
    const button = event.currentTarget as HTMLElement
    try {
      await navigator.clipboard.writeText(props.value)
      setStatus('Copied.')
    } catch {
      const input = button.parentElement?.querySelector('input')
      input?.select()
      setStatus('Selected: press Ctrl+C (or ⌘C) to copy.')
    }
  }
  return (
    <fieldset class="field copy-field" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} for={id}>
        {props.label}
      </label>
      <div class="copy-row">
        <input
          type="text"
          id={id}
          readonly
          value={props.value}
          class="mono"
          spellcheck={false}
          autocomplete="off"
        />
        <button type="button" class="secondary" onClick={copy}>
          Copy
        </button>
      </div>
      <span class="copy-status" role="status">
        {status}
      </span>
    </fieldset>
  )
}

/** The warning shown with a new secret or link: it is shown only this once. */
export const SECRET_WARNING =
  'The Client Secret cannot be shown again once you close this dialog. Copy it now and store it ' +
  'securely. If it is lost, add a new secret on the Details tab and delete the old one.'

/**
 * Values the server answers only once (a client secret, an invitation or reset link), each
 * with a Copy button, and the warning that they cannot be shown again.
 */
export function ShownOnceDialog(props: {
  title: string
  warning: string
  values: { label: string; value: string; id?: string }[]
  onClose: () => void
}) {
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div class="alert warning">
        <strong>Important: </strong>
        {props.warning}
      </div>
      {props.values.map((value) => (
        <CopyField label={value.label} value={value.value} id={value.id} />
      ))}
      <p class="actions">
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </p>
    </Dialog>
  )
}
