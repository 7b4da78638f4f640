import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import { ClientSettingsFields, draftOf, settingNames, settingsBody } from './client-settings'
import { CLIENT_TYPES, type CreatedClient, clientPath, type Role, typeOf } from './resources'
import { SECRET_WARNING, ShownOnceDialog } from './ui/dialog'
import { PortalForm, TextField, useForm } from './ui/form'
import { FocusHeading, Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ExpirationField } from './ui/role-fields'
import { useLoad } from './ui/use-load'
import { expirationOf, oneYearAhead } from './validate'

/**
 * Add Client, as the seed describes it. Client-Credentials: Name, roles, Token Lifetime,
 * Continue, then the secret (Description, Expiration Date or Never Expires) and Add. The other
 * types: their fields and Save. A new secret (Client-Credentials, Hybrid) is shown once in a
 * dialog with Copy buttons; on Close the list of that type shows the new Client Id.
 */
export function AddClientPage() {
  const { app, route } = usePortal()
  const type = typeOf(route.query)
  const info = CLIENT_TYPES[type]
  const roles = useLoad((api) => api.get<ApiPage<Role>>('/roles'))
  const [draft, setDraft] = useState(draftOf())
  const [step, setStep] = useState<'settings' | 'secret'>('settings')
  const [secret, setSecret] = useState({ description: '', date: oneYearAhead(), never: false })
  const [created, setCreated] = useState<CreatedClient | undefined>(undefined)
  const twoSteps = type === 'client-credentials'
  const names = settingNames(type)

  const create = async () => {
    const body = settingsBody(type, draft)
    const expiration = expirationOf(secret.date, secret.never)
    const client = await app.api().post<CreatedClient>(clientPath(type), {
      ...body,
      ...(twoSteps && { secretDescription: secret.description.trim() }),
      ...(twoSteps && expiration !== undefined && { secretExpiration: expiration }),
    })
    if (client.secret) setCreated(client)
    else done(client.name)
  }
  const done = (name: string) => {
    app.navigate(`/clients?type=${type}`)
    app.announce(`Added the client ${name}.`)
  }
  const settingsForm = useForm(names, async () => {
    if (!twoSteps) return create()
    settingsBody(type, draft)
    setStep('secret')
  })
  const secretForm = useForm(['secretDescription', 'secretExpiration'], create)

  return (
    <Page title={`Add Client: ${info.label}`}>
      {roles.data === undefined ? (
        <Loading error={roles.error} />
      ) : step === 'settings' ? (
        <PortalForm
          form={settingsForm}
          label="Client settings"
          submitLabel={twoSteps ? 'Continue' : 'Save'}
          extra={<a href={`/clients?type=${type}`}>Cancel</a>}
        >
          <ClientSettingsFields
            type={type}
            draft={draft}
            onChange={setDraft}
            roles={roles.data.items}
            errors={settingsForm.state.errors}
            showRoles={twoSteps}
          />
        </PortalForm>
      ) : (
        <section aria-labelledby="secret-step-heading">
          <FocusHeading level={3} id="secret-step-heading" always>
            Add a secret for {draft.name.trim()}
          </FocusHeading>
          <PortalForm
            form={secretForm}
            label="Client secret"
            submitLabel="Add"
            extra={
              <button type="button" class="secondary" onClick={() => setStep('settings')}>
                Back
              </button>
            }
          >
            <TextField
              label="Description"
              value={secret.description}
              errors={secretForm.state.errors.secretDescription}
              hint="Optional: where the secret is used."
              onChange={(description) => setSecret({ ...secret, description })}
            />
            <ExpirationField
              date={secret.date}
              never={secret.never}
              errors={secretForm.state.errors.secretExpiration}
              onChange={(value) => setSecret({ ...secret, ...value })}
            />
          </PortalForm>
        </section>
      )}
      {created?.secret && (
        <ShownOnceDialog
          title="Client Secret"
          warning={SECRET_WARNING}
          values={[
            { label: 'Client Id', value: created.id },
            { label: 'Client Secret', value: created.secret.value },
          ]}
          onClose={() => done(created.name)}
        />
      )}
    </Page>
  )
}
