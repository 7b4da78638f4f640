import { focusElement, h, replaceChildren } from '../dom'
import { ApiProblem, type FieldError } from './api'

/** A field that can show an error: the control and its error slot. */
export interface ErrorTarget {
  /** What gets `aria-invalid`, the error in `aria-describedby`, and the focus. */
  control: HTMLElement
  error: HTMLElement
  /** How a sub-path (`#/redirectUris/2` → `2`) is named in the message. */
  itemLabel?: (index: number) => string
}

/** JSON Pointer (RFC 6901) segments of `#/a/b`. */
function pointerPath(pointer: string): string[] {
  return pointer
    .replace(/^#?\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/**
 * Shows the management API's RFC 9457 field errors next to their fields (by the first segment
 * of each JSON Pointer), the problem's title and any error without a field in the summary alert,
 * and moves the focus to the first invalid field (or the summary).
 */
export function createFieldErrors(summary: HTMLElement) {
  const fields = new Map<string, ErrorTarget>()

  function clear(): void {
    summary.hidden = true
    summary.removeAttribute('role')
    summary.replaceChildren()
    for (const { control, error } of fields.values()) {
      error.hidden = true
      error.replaceChildren()
      control.removeAttribute('aria-invalid')
      const described = (control.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((id) => id && id !== error.id)
      if (described.length > 0) control.setAttribute('aria-describedby', described.join(' '))
      else control.removeAttribute('aria-describedby')
    }
  }

  /** Shows an error: field errors next to their fields, the rest in the summary alert. */
  function showError(error: unknown): void {
    clear()
    const problem =
      error instanceof ApiProblem ? error : new ApiProblem(0, 'Something went wrong', String(error))
    const unplaced: FieldError[] = []
    let firstInvalid: HTMLElement | undefined
    for (const fieldError of problem.errors) {
      const [name, index] = pointerPath(fieldError.pointer)
      const field = name === undefined ? undefined : fields.get(name)
      if (!field) {
        unplaced.push(fieldError)
        continue
      }
      const prefix =
        index !== undefined && field.itemLabel ? `${field.itemLabel(Number(index))}: ` : ''
      field.error.append(h('span', null, `Error: ${prefix}${fieldError.detail}`), ' ')
      field.error.hidden = false
      field.control.setAttribute('aria-invalid', 'true')
      const described = field.control.getAttribute('aria-describedby')
      field.control.setAttribute(
        'aria-describedby',
        described ? `${described} ${field.error.id}` : field.error.id,
      )
      firstInvalid ??= field.control
    }
    const placed = problem.errors.length - unplaced.length
    summary.hidden = false
    summary.setAttribute('role', 'alert')
    replaceChildren(
      summary,
      h(
        'p',
        null,
        h('strong', null, 'Error: '),
        problem.title,
        problem.detail && ` ${problem.detail}`,
      ),
      placed > 0 &&
        h(
          'p',
          null,
          `${placed === 1 ? 'One field needs' : `${placed} fields need`} attention; see the messages next to them.`,
        ),
      unplaced.length > 0 &&
        h(
          'ul',
          null,
          unplaced.map((e) => h('li', null, `${e.pointer}: ${e.detail}`)),
        ),
    )
    focusElement(firstInvalid ?? summary)
  }

  return {
    register: (name: string, target: ErrorTarget) => fields.set(name, target),
    clear,
    show: showError,
  }
}
