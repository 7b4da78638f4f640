import type { Child } from 'hono/jsx/dom'
import { useId, useLayoutEffect, useRef, useState } from 'hono/jsx/dom'
import { ApiProblem, type FieldError } from '../api'

/**
 * Field errors by the field their JSON Pointer falls in: its first segment (`#/redirectUris/2` →
 * `redirectUris`), or a nested field the form names with its segments
 * (`#/metadataDocuments/hosts/0` → `metadataDocuments/hosts`).
 */
export type FieldErrors = Record<string, string[]>

/** JSON Pointer (RFC 6901) segments of `#/a/b`. */
function pointerPath(pointer: string): string[] {
  return pointer
    .replace(/^#?\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Thrown by a form's browser-side check: the same field errors the API would answer. */
export class InvalidInput extends ApiProblem {
  constructor(errors: FieldError[]) {
    super(400, 'Some fields need attention', undefined, errors)
  }
}

/** The state of a form: its errors (from the browser's checks or the API) and whether busy. */
export interface FormState {
  errors: FieldErrors
  /** The problem title and errors that no field shows, for the summary alert. */
  summary: { title: string; detail?: string; unplaced: FieldError[]; placed: number } | undefined
  busy: boolean
  /** Incremented on every failed submit: the form then moves the focus to the first error. */
  attempt: number
}

/**
 * Runs `submit` with the form busy; a failure shows the API's RFC 9457 field errors next to
 * their fields (or the browser's own checks, thrown as InvalidInput) and the rest in a summary.
 * `fields` are the names the form shows; errors of other fields go to the summary.
 */
export function useForm(fields: string[], submit: () => Promise<void>) {
  const [state, setState] = useState<FormState>({
    errors: {},
    summary: undefined,
    busy: false,
    attempt: 0,
  })
  const run = async (event?: Event) => {
    event?.preventDefault()
    if (state.busy) return
    setState((s) => ({ ...s, busy: true }))
    try {
      await submit()
      setState((s) => ({ ...s, busy: false, errors: {}, summary: undefined }))
    } catch (error) {
      setState((s) => ({ ...problemState(error, fields), busy: false, attempt: s.attempt + 1 }))
    }
  }
  return { state, run, reset: () => setState((s) => ({ ...s, errors: {}, summary: undefined })) }
}

function problemState(error: unknown, fields: string[]): Omit<FormState, 'busy' | 'attempt'> {
  const problem =
    error instanceof ApiProblem ? error : new ApiProblem(0, 'Something went wrong', String(error))
  const errors: FieldErrors = {}
  const unplaced: FieldError[] = []
  for (const fieldError of problem.errors) {
    const path = pointerPath(fieldError.pointer)
    const name = fields.find((field) => {
      const segments = field.split('/')
      return segments.every((segment, at) => path[at] === segment)
    })
    if (name === undefined) {
      unplaced.push(fieldError)
      continue
    }
    const index = path[name.split('/').length]
    const prefix = index === undefined ? '' : `Item ${Number(index) + 1}: `
    errors[name] = [...(errors[name] ?? []), `${prefix}${fieldError.detail}`]
  }
  return {
    errors,
    summary: {
      title: problem.title,
      detail: problem.detail,
      unplaced,
      placed: problem.errors.length - unplaced.length,
    },
  }
}

/**
 * A form with the summary alert of its last failed submit. After a failed submit it moves the
 * focus to the first invalid field, or to the summary: no page does that by hand. Native
 * validation is off; the inputs still carry `required`, `min` and `max` for assistive
 * technologies, and the browser-side checks show their errors like the API's.
 */
export function PortalForm(props: {
  form: ReturnType<typeof useForm>
  label: string
  submitLabel: string
  children: Child
  extra?: Child
}) {
  const ref = useRef<HTMLFormElement>(null)
  const { state, run } = props.form
  useLayoutEffect(() => {
    if (state.attempt === 0) return
    const form = ref.current
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>('.form-summary')
    target?.focus()
  }, [state.attempt])
  const summary = state.summary
  return (
    <form ref={ref} novalidate aria-label={props.label} aria-busy={state.busy} onSubmit={run}>
      {summary && (
        <div class="form-summary" role="alert" tabindex={-1}>
          <p>
            <strong>Error: </strong>
            {summary.title}
            {summary.detail && ` ${summary.detail}`}
          </p>
          {summary.placed > 0 && (
            <p>
              {summary.placed === 1 ? 'One field needs' : `${summary.placed} fields need`}{' '}
              attention; see the messages next to them.
            </p>
          )}
          {summary.unplaced.length > 0 && (
            <ul>
              {summary.unplaced.map((e) => (
                <li>
                  {e.pointer}: {e.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div>{props.children}</div>
      <p class="actions">
        {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus. */}
        <button type="submit" aria-disabled={state.busy ? 'true' : undefined}>
          {props.submitLabel}
        </button>
        {props.extra}
      </p>
    </form>
  )
}

/**
 * A field's errors until the user edits it: the errors of the last failed submit, hidden once
 * the value changes (a new failed submit shows its own again).
 */
function useFieldErrors(errors: string[] | undefined) {
  const [dismissed, setDismissed] = useState<string[] | undefined>(undefined)
  return {
    shown: errors !== undefined && errors !== dismissed ? errors : undefined,
    dismiss: () => setDismissed(errors),
  }
}

/** The ids and attributes that tie a control to its hint and error. */
function useDescribed(errors: string[] | undefined, hint: string | undefined) {
  const id = useId()
  const described = [hint && `${id}-hint`, errors?.length && `${id}-error`].filter(Boolean)
  return {
    id,
    control: {
      id,
      'aria-invalid': errors?.length ? 'true' : undefined,
      'aria-describedby': described.length ? described.join(' ') : undefined,
    },
    after: (
      <>
        {hint && (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        {errors?.length ? (
          <p class="field-error" id={`${id}-error`}>
            {errors.map((message) => (
              <span>Error: {message} </span>
            ))}
          </p>
        ) : null}
      </>
    ),
  }
}

interface FieldProps<T> {
  label: string
  value: T
  onChange: (value: T) => void
  errors?: string[]
  hint?: string
}

export function TextField(
  props: FieldProps<string> & { type?: string; required?: boolean; autocomplete?: string },
) {
  const e = useFieldErrors(props.errors)
  const d = useDescribed(e.shown, props.hint)
  return (
    <div class="field">
      <label for={d.id}>{props.label}</label>
      <input
        {...d.control}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete ?? 'off'}
        onInput={(event: Event) => {
          e.dismiss()
          props.onChange((event.target as HTMLInputElement).value)
        }}
      />
      {d.after}
    </div>
  )
}

/** A whole number; the text as typed, so that the check can name what is wrong with it. */
export function NumberField(props: FieldProps<string> & { min: number; max: number }) {
  const e = useFieldErrors(props.errors)
  const d = useDescribed(e.shown, props.hint)
  return (
    <div class="field">
      <label for={d.id}>{props.label}</label>
      <input
        {...d.control}
        type="number"
        inputmode="numeric"
        step={1}
        min={props.min}
        max={props.max}
        required
        value={props.value}
        onInput={(event: Event) => {
          e.dismiss()
          props.onChange((event.target as HTMLInputElement).value)
        }}
      />
      {d.after}
    </div>
  )
}

export function CheckboxField(props: FieldProps<boolean>) {
  const e = useFieldErrors(props.errors)
  const d = useDescribed(e.shown, props.hint)
  return (
    <div class="field check">
      <input
        {...d.control}
        type="checkbox"
        checked={props.value}
        onChange={(event: Event) => {
          e.dismiss()
          props.onChange((event.target as HTMLInputElement).checked)
        }}
      />
      <label for={d.id}>{props.label}</label>
      {d.after}
    </div>
  )
}

/** Several URLs, one per line (redirect, logout and CORS lists). */
export function UrlListField(props: FieldProps<string>) {
  const e = useFieldErrors(props.errors)
  const d = useDescribed(e.shown, props.hint)
  return (
    <div class="field">
      <label for={d.id}>{props.label}</label>
      <textarea
        {...d.control}
        rows={3}
        spellcheck={false}
        autocomplete="off"
        value={props.value}
        onInput={(event: Event) => {
          e.dismiss()
          props.onChange((event.target as HTMLTextAreaElement).value)
        }}
      />
      {d.after}
    </div>
  )
}

/** The non-empty lines of a list field. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

/** A group of checkboxes or radios with a legend, its hint and its errors. */
export function Fieldset(props: {
  legend: string
  hint?: string
  errors?: string[]
  children: Child
}) {
  const d = useDescribed(props.errors, props.hint)
  return (
    <fieldset class="field" aria-describedby={d.control['aria-describedby']}>
      <legend>{props.legend}</legend>
      {props.children}
      {d.after}
    </fieldset>
  )
}

/** One checkbox of a group. */
export function Check(props: {
  label: string
  checked: boolean
  disabled?: boolean
  invalid?: boolean
  onChange?: (checked: boolean) => void
}) {
  const id = useId()
  return (
    <div class="check">
      <input
        type="checkbox"
        id={id}
        checked={props.checked}
        disabled={props.disabled}
        aria-invalid={props.invalid ? 'true' : undefined}
        onChange={(event: Event) => props.onChange?.((event.target as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  )
}

/** One radio button of a group (a Fieldset): the options of one choice. */
export function Radio(props: {
  name: string
  label: string
  checked: boolean
  invalid?: boolean
  onChange: () => void
}) {
  const id = useId()
  return (
    <div class="check">
      <input
        type="radio"
        id={id}
        name={props.name}
        checked={props.checked}
        aria-invalid={props.invalid ? 'true' : undefined}
        onChange={() => props.onChange()}
      />
      <label for={id}>{props.label}</label>
    </div>
  )
}
