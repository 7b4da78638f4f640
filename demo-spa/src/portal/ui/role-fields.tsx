import { ACCOUNT_MEMBER, type Role } from '../resources'
import { Check, Fieldset } from './form'

/** Roles as checkboxes; Account Member is shown checked and disabled (always held). */
export function RolesField(props: {
  roles: Role[]
  selected: string[]
  onChange: (ids: string[]) => void
  errors?: string[]
}) {
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.selected, id] : props.selected.filter((each) => each !== id))
  return (
    <Fieldset legend="Roles" hint="Account Member is always held." errors={props.errors}>
      {props.roles.map((role) => (
        <Check
          label={role.name}
          checked={role.id === ACCOUNT_MEMBER || props.selected.includes(role.id)}
          disabled={role.id === ACCOUNT_MEMBER}
          invalid={Boolean(props.errors?.length)}
          onChange={(on) => toggle(role.id, on)}
        />
      ))}
    </Fieldset>
  )
}

/** A secret's expiration date (default one year ahead) or Never Expires. */
export function ExpirationField(props: {
  date: string
  never: boolean
  onChange: (value: { date: string; never: boolean }) => void
  errors?: string[]
}) {
  return (
    <Fieldset legend="Expiration" errors={props.errors}>
      <div class="field">
        <label for="secret-expiration-date">Expiration Date</label>
        <input
          id="secret-expiration-date"
          type="date"
          value={props.date}
          disabled={props.never}
          aria-invalid={props.errors?.length ? 'true' : undefined}
          onInput={(event: Event) =>
            props.onChange({ date: (event.target as HTMLInputElement).value, never: props.never })
          }
        />
      </div>
      <Check
        label="Never Expires"
        checked={props.never}
        onChange={(never) => props.onChange({ date: props.date, never })}
      />
    </Fieldset>
  )
}
