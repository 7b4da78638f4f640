import { type Child, h, uniqueId } from '../dom'
import { createFieldErrors } from './field-errors'
import { ACCOUNT_MEMBER, type Role } from './resources'

/** A form field: its element in the form and how to read its value. */
export interface Field<T> {
  element: HTMLElement
  read(): T
}

/**
 * A form whose fields show the management API's RFC 9457 field errors next to them
 * (`aria-invalid`, `aria-describedby`), with a summary alert; focus goes to the first invalid
 * field. Native validation is off (`novalidate`): the API's schemas are the one source of truth,
 * the inputs still carry `required`, `min` and `max` for assistive technologies.
 */
export function createPortalForm(options: { labelledBy: string; submitLabel: string }) {
  const summary = h('div', { class: 'form-summary', tabindex: -1, hidden: true })
  const form = h('form', { novalidate: true, 'aria-labelledby': options.labelledBy }, summary)
  const submit = h('button', { type: 'submit' }, options.submitLabel)
  const errors = createFieldErrors(summary)
  // A reset restores the checkboxes without a change event; controls that follow one need it.
  // The reset event fires before the reset itself, hence the task.
  form.addEventListener('reset', () =>
    setTimeout(() => {
      for (const input of form.querySelectorAll('input[type=checkbox]'))
        input.dispatchEvent(new Event('change'))
    }),
  )

  /** Wraps a control with its label, hint and error slot, and registers it under `name`. */
  function wrap(
    name: string,
    label: string,
    control: HTMLInputElement | HTMLTextAreaElement,
    hint?: string,
    itemLabel?: (index: number) => string,
  ): HTMLElement {
    control.id ||= uniqueId(name)
    const hintId = hint ? `${control.id}-hint` : undefined
    const error = h('p', { class: 'field-error', id: `${control.id}-error`, hidden: true })
    if (hintId) control.setAttribute('aria-describedby', hintId)
    errors.register(name, { control, error, itemLabel })
    const checkbox = control instanceof HTMLInputElement && control.type === 'checkbox'
    return h(
      'div',
      { class: checkbox ? 'field check' : 'field' },
      checkbox
        ? [control, h('label', { for: control.id }, label)]
        : [h('label', { for: control.id }, label), control],
      hint && h('p', { class: 'hint', id: hintId }, hint),
      error,
    )
  }

  function text(o: {
    name: string
    label: string
    value?: string
    type?: string
    required?: boolean
    hint?: string
    autocomplete?: string
  }): Field<string> {
    const input = h('input', {
      type: o.type ?? 'text',
      name: o.name,
      value: o.value ?? '',
      required: o.required,
      autocomplete: o.autocomplete ?? 'off',
    })
    return { element: wrap(o.name, o.label, input, o.hint), read: () => input.value.trim() }
  }

  function number(o: {
    name: string
    label: string
    value: number
    min: number
    max: number
    hint?: string
  }): Field<number> {
    const input = h('input', {
      type: 'number',
      name: o.name,
      value: o.value,
      min: o.min,
      max: o.max,
      step: 1,
      required: true,
      inputmode: 'numeric',
    })
    // An empty or non-numeric entry goes to the API as is, which names the field.
    return { element: wrap(o.name, o.label, input, o.hint), read: () => input.valueAsNumber }
  }

  function checkbox(o: {
    name: string
    label: string
    checked: boolean
    hint?: string
  }): Field<boolean> {
    const input = h('input', { type: 'checkbox', name: o.name, checked: o.checked })
    return { element: wrap(o.name, o.label, input, o.hint), read: () => input.checked }
  }

  /** A list of URLs, one per line (redirect, logout and CORS lists). */
  function urlList(o: {
    name: string
    label: string
    values: string[]
    hint: string
  }): Field<string[]> {
    const textarea = h('textarea', {
      name: o.name,
      rows: 3,
      spellcheck: 'false',
      autocomplete: 'off',
    })
    textarea.value = o.values.join('\n')
    const element = wrap(o.name, o.label, textarea, o.hint, (index) => `Line ${index + 1}`)
    return {
      element,
      read: () =>
        textarea.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
    }
  }

  /** Roles as checkboxes; Account Member is always on (docs/architecture.md). */
  function roles(o: { roles: Role[]; selected: string[] }): Field<string[]> {
    const legendId = uniqueId('roles')
    const error = h('p', { class: 'field-error', id: `${legendId}-error`, hidden: true })
    const boxes = o.roles.map((role) => {
      const always = role.id === ACCOUNT_MEMBER
      const input = h('input', {
        type: 'checkbox',
        id: uniqueId('role'),
        value: role.id,
        checked: always || o.selected.includes(role.id),
        disabled: always,
      })
      return {
        input,
        row: h(
          'div',
          { class: 'check' },
          input,
          h('label', { for: input.id }, role.name, always && ' (always on)'),
        ),
      }
    })
    const fieldset = h(
      'fieldset',
      { class: 'field', 'aria-describedby': `${legendId}-hint` },
      h('legend', { id: legendId }, 'Roles'),
      boxes.map((box) => box.row),
      h('p', { class: 'hint', id: `${legendId}-hint` }, 'Account Member is always granted.'),
      error,
    )
    const firstBox = boxes.find((box) => !box.input.disabled)?.input ?? fieldset
    errors.register('roleIds', {
      control: firstBox,
      error,
      itemLabel: (index) => `Role ${index + 1}`,
    })
    return {
      element: fieldset,
      read: () => boxes.filter((box) => box.input.checked).map((box) => box.input.value),
    }
  }

  /**
   * A secret's expiration: a date (empty means the API's default, one year from now) or never.
   * Answers undefined (omit), null (never) or an ISO date-time at the end of the chosen day.
   */
  function expiration(name: string): Field<string | null | undefined> {
    const date = h('input', { type: 'date', id: uniqueId(name), name })
    const never = h('input', { type: 'checkbox', id: uniqueId(`${name}-never`) })
    never.addEventListener('change', () => {
      date.disabled = never.checked
    })
    const dateField = wrap(name, 'Expires on', date, 'Leave empty for one year from today.')
    return {
      element: h(
        'fieldset',
        { class: 'field' },
        h('legend', null, 'Expiration'),
        dateField,
        h('div', { class: 'check' }, never, h('label', { for: never.id }, 'Never expires')),
      ),
      read: () => {
        if (never.checked) return null
        if (!date.value) return undefined
        return new Date(`${date.value}T23:59:59`).toISOString()
      },
    }
  }

  /** Runs `handler` on submit, with the submit button busy, showing any error. */
  function onSubmit(handler: () => Promise<void>): void {
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    let busy = false
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      if (busy) return
      busy = true
      submit.setAttribute('aria-disabled', 'true')
      form.setAttribute('aria-busy', 'true')
      try {
        errors.clear()
        await handler()
      } catch (error) {
        errors.show(error)
      } finally {
        busy = false
        submit.removeAttribute('aria-disabled')
        form.removeAttribute('aria-busy')
      }
    })
  }

  /** Appends the given children and the action row (submit plus `extra`). */
  function finish(children: Child[], extra: Child = null): HTMLFormElement {
    form.append(h('div', null, children), h('p', { class: 'actions' }, submit, extra))
    return form
  }

  return {
    form,
    text,
    number,
    checkbox,
    urlList,
    roles,
    expiration,
    onSubmit,
    showError: errors.show,
    finish,
  }
}
