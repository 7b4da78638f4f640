import { type Child, focusElement, h, uniqueId } from '../dom'

/**
 * Opens a modal `<dialog>` (the browser keeps focus inside it and closes it on Escape). On close
 * the dialog is removed and focus returns to `returnFocus`, or to what had it before. Resolves
 * with the dialog's return value.
 */
export function openDialog(o: {
  title: string
  body: Child
  actions: (close: (value: string) => void) => HTMLElement[]
  /** Focused when the dialog opens; default the first focusable element. */
  initialFocus?: (dialog: HTMLDialogElement) => HTMLElement | null
  returnFocus?: HTMLElement | null
  role?: 'dialog' | 'alertdialog'
}): Promise<string> {
  const titleId = uniqueId('dialog-title')
  const opener = o.returnFocus ?? (document.activeElement as HTMLElement | null)
  const dialog = h('dialog', { 'aria-labelledby': titleId, role: o.role })
  const close = (value: string) => dialog.close(value)
  dialog.append(
    h('h2', { id: titleId }, o.title),
    h('div', { class: 'dialog-body' }, o.body),
    h('p', { class: 'actions' }, o.actions(close)),
  )
  document.body.append(dialog)
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        dialog.remove()
        if (opener?.isConnected) opener.focus()
        resolve(dialog.returnValue)
      },
      { once: true },
    )
    dialog.showModal()
    const first = o.initialFocus?.(dialog)
    if (first) focusElement(first)
  })
}

/** Asks to confirm a destructive action; resolves true when confirmed. */
export async function confirmAction(o: {
  title: string
  message: string
  confirmLabel: string
  returnFocus?: HTMLElement | null
}): Promise<boolean> {
  const value = await openDialog({
    title: o.title,
    role: 'alertdialog',
    body: h('p', null, o.message),
    returnFocus: o.returnFocus,
    actions: (close) => [
      h(
        'button',
        { type: 'button', class: 'danger', onclick: () => close('confirm') },
        o.confirmLabel,
      ),
      h('button', { type: 'button', class: 'secondary', onclick: () => close('cancel') }, 'Cancel'),
    ],
    // The safe choice has the focus (WAI-ARIA APG, alert dialog).
    initialFocus: (dialog) => dialog.querySelector('button.secondary'),
  })
  return value === 'confirm'
}

/** A read-only value with a Copy button. */
export function copyableValue(label: string, value: string, id?: string): HTMLElement {
  const input = h('input', {
    type: 'text',
    readonly: true,
    value,
    id: id ?? uniqueId('copy'),
    class: 'mono',
    spellcheck: 'false',
    autocomplete: 'off',
  })
  const status = h('span', { class: 'copy-status', role: 'status' })
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'aria-label': `Copy ${label.toLowerCase()}`,
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(value)
          status.textContent = 'Copied.'
        } catch {
          input.select()
          status.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.'
        }
      },
    },
    'Copy',
  )
  return h(
    'div',
    { class: 'field' },
    h('label', { for: input.id }, label),
    h('div', { class: 'copy-row' }, input, copy),
    status,
  )
}

/**
 * Shows values that the server answers only once (a client secret, an invitation link), with
 * Copy buttons and a clear warning. Resolves when the user closes it.
 */
export async function showOnce(o: {
  title: string
  warning: string
  values: { label: string; value: string; id?: string }[]
  returnFocus?: HTMLElement | null
}): Promise<void> {
  await openDialog({
    title: o.title,
    returnFocus: o.returnFocus,
    body: [
      h('div', { class: 'alert warning' }, h('strong', null, 'Important: '), o.warning),
      o.values.map((v) => copyableValue(v.label, v.value, v.id)),
    ],
    actions: (close) => [h('button', { type: 'button', onclick: () => close('close') }, 'Close')],
    initialFocus: (dialog) => dialog.querySelector('input'),
  })
}
