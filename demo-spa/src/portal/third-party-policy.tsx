import { useState } from 'hono/jsx/dom'
import type { ThirdPartyPolicy } from './resources'
import { CheckboxField, Fieldset, lines, PortalForm, Radio, UrlListField, useForm } from './ui/form'
import { Loading } from './ui/page'
import { usePortal } from './ui/portal-context'
import { useLoad } from './ui/use-load'

type MetadataPolicy = ThirdPartyPolicy['metadataDocuments']['policy']

const POLICY_LABELS: [MetadataPolicy, string][] = [
  ['all', 'All hosts'],
  ['allow-list', 'Only these hosts'],
  ['none', 'None'],
]

const PATH = '/third-party-policy'

/**
 * The tenant's third-party policy: which client ID metadata documents may sign users in (all
 * hosts, an allow-list, none) and whether clients may register themselves (RFC 7591). A PUT
 * replaces the whole policy; the allow-list is kept under the other choices.
 */
export function ThirdPartyPolicySection() {
  const policy = useLoad((api) => api.get<ThirdPartyPolicy>(PATH))
  return (
    <section aria-labelledby="policy-heading">
      <h3 id="policy-heading">Policy</h3>
      {policy.data === undefined ? (
        <Loading error={policy.error} />
      ) : (
        <PolicyForm policy={policy.data} onSaved={(saved) => policy.set(() => saved)} />
      )}
    </section>
  )
}

function PolicyForm(props: {
  policy: ThirdPartyPolicy
  onSaved: (policy: ThirdPartyPolicy) => void
}) {
  const { app } = usePortal()
  const [draft, setDraft] = useState({
    policy: props.policy.metadataDocuments.policy,
    hosts: props.policy.metadataDocuments.hosts.join('\n'),
    dynamicRegistration: props.policy.dynamicRegistration,
  })
  const form = useForm(
    ['metadataDocuments/policy', 'metadataDocuments/hosts', 'dynamicRegistration'],
    async () => {
      const body: ThirdPartyPolicy = {
        metadataDocuments: {
          policy: draft.policy,
          hosts: lines(draft.hosts).map((host) => host.toLowerCase()),
        },
        dynamicRegistration: draft.dynamicRegistration,
      }
      const saved = await app.api().put<ThirdPartyPolicy>(PATH, body)
      props.onSaved(saved)
      app.announce('Saved the third-party policy.')
    },
  )
  const errors = form.state.errors
  return (
    <PortalForm form={form} label="Third-party policy" submitLabel="Save">
      <Fieldset
        legend="Client ID metadata documents"
        hint="Clients whose client_id is the https URL of their metadata document, from which hosts."
        errors={errors['metadataDocuments/policy']}
      >
        {POLICY_LABELS.map(([value, label]) => (
          <Radio
            name="metadata-policy"
            label={label}
            checked={draft.policy === value}
            invalid={errors['metadataDocuments/policy'] !== undefined}
            onChange={() => setDraft({ ...draft, policy: value })}
          />
        ))}
      </Fieldset>
      {draft.policy === 'allow-list' && (
        <UrlListField
          label="Hosts"
          value={draft.hosts}
          errors={errors['metadataDocuments/hosts']}
          hint="One host name per line, such as app.example.com."
          onChange={(hosts) => setDraft({ ...draft, hosts })}
        />
      )}
      <CheckboxField
        label="Allow dynamic registration"
        value={draft.dynamicRegistration}
        errors={errors.dynamicRegistration}
        hint="Clients holding an initial access token may register themselves (RFC 7591)."
        onChange={(dynamicRegistration) => setDraft({ ...draft, dynamicRegistration })}
      />
    </PortalForm>
  )
}
