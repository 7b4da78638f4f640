import type { ClientCreate } from '../../../worker/src/routes/api/resource-types'
import { ACCOUNT_MEMBER, CLIENT_TYPES, type Client, type ClientType, type Role } from './resources'
import {
  CheckboxField,
  type FieldErrors,
  lines,
  NumberField,
  TextField,
  UrlListField,
} from './ui/form'
import { RolesField } from './ui/role-fields'
import { createChecks, LIFETIME_MAX, LIFETIME_MIN } from './validate'

/** A client's settings as the form holds them (lists as text, one URL per line). */
export interface ClientDraft {
  name: string
  enabled: boolean
  roleIds: string[]
  lifetime: string
  redirectUris: string
  postLogoutRedirectUris: string
  allowedCorsOrigins: string
  allowRefreshToken: boolean
  requireDpop: boolean
}

export function draftOf(client?: Client): ClientDraft {
  return {
    name: client?.name ?? '',
    enabled: client?.enabled ?? true,
    roleIds: client?.roleIds ?? [ACCOUNT_MEMBER],
    lifetime: String(client?.accessTokenLifetime ?? LIFETIME_MAX),
    redirectUris: (client?.redirectUris ?? []).join('\n'),
    postLogoutRedirectUris: (client?.postLogoutRedirectUris ?? []).join('\n'),
    allowedCorsOrigins: (client?.allowedCorsOrigins ?? []).join('\n'),
    allowRefreshToken: client?.allowRefreshToken ?? false,
    requireDpop: client?.requireDpop ?? false,
  }
}

/** The fields a type's form shows (the names the API's errors point to). */
export function settingNames(type: ClientType): string[] {
  const info = CLIENT_TYPES[type]
  return [
    'name',
    'enabled',
    'roleIds',
    'accessTokenLifetime',
    ...(info.browser ? ['redirectUris', 'postLogoutRedirectUris'] : []),
    ...(info.cors ? ['allowedCorsOrigins'] : []),
    ...(info.refresh ? ['allowRefreshToken'] : []),
    'requireDpop',
  ]
}

/** Checks the draft in the browser (what the API would refuse) and answers the API's body. */
export function settingsBody(type: ClientType, draft: ClientDraft): Partial<ClientCreate> {
  const info = CLIENT_TYPES[type]
  const checks = createChecks()
  checks.required('name', draft.name)
  checks.lifetime('accessTokenLifetime', draft.lifetime)
  if (info.browser) {
    checks.urls('redirectUris', draft.redirectUris, { required: true })
    checks.urls('postLogoutRedirectUris', draft.postLogoutRedirectUris)
  }
  if (info.cors) checks.urls('allowedCorsOrigins', draft.allowedCorsOrigins, { origins: true })
  checks.done()
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    accessTokenLifetime: Number(draft.lifetime),
    roleIds: draft.roleIds,
    // Always sent: a PUT replaces the whole client, and a missing field would mean "false".
    requireDpop: draft.requireDpop,
    ...(info.browser && {
      redirectUris: lines(draft.redirectUris),
      postLogoutRedirectUris: lines(draft.postLogoutRedirectUris),
    }),
    ...(info.cors && { allowedCorsOrigins: lines(draft.allowedCorsOrigins) }),
    ...(info.refresh && { allowRefreshToken: draft.allowRefreshToken }),
  }
}

/** The settings fields of a client type, in the seed's order and words. */
export function ClientSettingsFields(props: {
  type: ClientType
  draft: ClientDraft
  onChange: (draft: ClientDraft) => void
  roles: Role[]
  errors: FieldErrors
  /** Whether to show the enabled state (on Details; a new client is enabled). */
  showEnabled?: boolean
  /** Whether to show roles (client-credentials when adding; every type on Details). */
  showRoles?: boolean
}) {
  const { draft, errors } = props
  const info = CLIENT_TYPES[props.type]
  const set = (patch: Partial<ClientDraft>) => props.onChange({ ...draft, ...patch })
  return (
    <>
      <TextField
        label="Name"
        required
        value={draft.name}
        errors={errors.name}
        hint="The device or application that uses it."
        onChange={(name) => set({ name })}
      />
      {props.showEnabled && (
        <CheckboxField
          label="Enabled"
          value={draft.enabled}
          errors={errors.enabled}
          hint="A disabled client gets no tokens, and its tokens stop working."
          onChange={(enabled) => set({ enabled })}
        />
      )}
      {info.refresh && (
        <CheckboxField
          label="Allow Refresh Token"
          value={draft.allowRefreshToken}
          errors={errors.allowRefreshToken}
          hint="Lets the application keep users signed in with refresh tokens."
          onChange={(allowRefreshToken) => set({ allowRefreshToken })}
        />
      )}
      <CheckboxField
        label="Require DPoP"
        value={draft.requireDpop}
        errors={errors.requireDpop}
        hint="Every token request must prove a key of the application (DPoP, RFC 9449): it never gets a token that is not bound to that key."
        onChange={(requireDpop) => set({ requireDpop })}
      />
      {props.showRoles && (
        <RolesField
          roles={props.roles}
          selected={draft.roleIds}
          errors={errors.roleIds}
          onChange={(roleIds) => set({ roleIds })}
        />
      )}
      {info.browser && (
        <>
          <UrlListField
            label="Allowed Redirect URL(s)"
            value={draft.redirectUris}
            errors={errors.redirectUris}
            hint="One per line, matched exactly; https, or http on localhost. At least one."
            onChange={(redirectUris) => set({ redirectUris })}
          />
          <UrlListField
            label="Allowed Logout Redirect URL(s)"
            value={draft.postLogoutRedirectUris}
            errors={errors.postLogoutRedirectUris}
            hint="Optional; one per line."
            onChange={(postLogoutRedirectUris) => set({ postLogoutRedirectUris })}
          />
        </>
      )}
      {info.cors && (
        <UrlListField
          label="Allowed CORS Origin(s)"
          value={draft.allowedCorsOrigins}
          errors={errors.allowedCorsOrigins}
          hint="Optional; one origin per line (https://app.example.com)."
          onChange={(allowedCorsOrigins) => set({ allowedCorsOrigins })}
        />
      )}
      <NumberField
        label="Token Lifetime"
        min={LIFETIME_MIN}
        max={LIFETIME_MAX}
        value={draft.lifetime}
        errors={errors.accessTokenLifetime}
        hint={`Seconds an access token works: ${LIFETIME_MIN} to ${LIFETIME_MAX} (default ${LIFETIME_MAX}, one hour).`}
        onChange={(lifetime) => set({ lifetime })}
      />
    </>
  )
}
