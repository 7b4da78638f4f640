import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import {
  type CreatedInitialAccessToken,
  formatDate,
  type InitialAccessToken,
  type InitialAccessTokenCreate,
} from './resources'
import { ConfirmDialog, Dialog, ShownOnceDialog } from './ui/dialog'
import { InvalidInput, NumberField, PortalForm, TextField, useForm } from './ui/form'
import { ErrorAlert, Loading } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { useListActions } from './ui/use-list-actions'
import { useLoad } from './ui/use-load'
import { expirationOf, localDay } from './validate'

const PATH = '/initial-access-tokens'

/** The largest `maxUses` the API takes. */
const MAX_USES = 100_000

/** A week ahead: the API's default lifetime of a token (at most 90 days). */
function weekAhead(now = new Date()): string {
  const date = new Date(now)
  date.setDate(date.getDate() + 7)
  return localDay(date)
}

const tokenLabel = (token: { id: string; description: string }) =>
  token.description || `token ${token.id.slice(0, 8)}`

const TOKEN_WARNING =
  'The token cannot be shown again once you close this dialog. Give it to the client developer ' +
  'over a channel you trust; whoever holds it can register clients until it expires, is used up ' +
  'or is revoked.'

type Open =
  | { kind: 'add' }
  | { kind: 'revoke'; token: InitialAccessToken }
  | { kind: 'shown'; token: CreatedInitialAccessToken }

/**
 * The initial access tokens of dynamic client registration (RFC 7591 §3): listed without their
 * values, added with the value shown once, revoked with a confirmation.
 */
export function InitialAccessTokensSection() {
  const { app } = usePortal()
  const tokens = useLoad((api) => api.get<ApiPage<InitialAccessToken>>(PATH))
  const { open, setOpen, close, failure, act } = useListActions<Open>()
  const revoke = (token: InitialAccessToken) =>
    act(
      async () => {
        await app.api().delete(`${PATH}/${encodeURIComponent(token.id)}`)
        tokens.set((page) => ({
          ...page,
          items: page.items.map((each) =>
            each.id === token.id ? { ...each, revoked: true } : each,
          ),
        }))
      },
      `Revoked ${tokenLabel(token)}.`,
    )
  return (
    <section aria-labelledby="tokens-heading">
      <h3 id="tokens-heading">Registration Tokens</h3>
      <p class="hint">
        Initial access tokens: a client registering itself sends one as its bearer token to the
        registration endpoint. Dynamic registration must be allowed above.
      </p>
      {failure !== undefined && <ErrorAlert error={failure} />}
      <div class="toolbar">
        <button type="button" onClick={() => setOpen({ kind: 'add' })}>
          Add Token
        </button>
      </div>
      {tokens.data === undefined ? (
        <Loading error={tokens.error} />
      ) : (
        <ResourceTable
          caption="Initial access tokens of the tenant"
          items={tokens.data.items}
          empty="No registration tokens yet."
          columns={[
            { header: 'Description', rowHeader: true, cell: tokenLabel },
            { header: 'Expires', cell: (token) => formatDate(token.expiration) },
            {
              header: 'Uses',
              cell: (token) => `${token.uses} of ${token.maxUses ?? 'any number'}`,
            },
            { header: 'Status', cell: (token) => (token.revoked ? 'Revoked' : 'Active') },
            {
              header: 'Actions',
              cell: (token) =>
                token.revoked ? (
                  <span class="muted">Revoked</span>
                ) : (
                  <button
                    type="button"
                    class="danger small"
                    aria-label={`Revoke ${tokenLabel(token)}`}
                    onClick={() => setOpen({ kind: 'revoke', token })}
                  >
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}
      {open?.kind === 'add' && (
        <AddTokenDialog
          onClose={close}
          onAdded={(created) => {
            const { value: _, ...listed } = created
            tokens.set((page) => ({ items: [...page.items, listed], total: page.total + 1 }))
            setOpen({ kind: 'shown', token: created })
          }}
        />
      )}
      {open?.kind === 'shown' && (
        <ShownOnceDialog
          title="Initial Access Token"
          warning={TOKEN_WARNING}
          values={[{ label: 'Initial Access Token', value: open.token.value }]}
          onClose={close}
        />
      )}
      {open?.kind === 'revoke' && (
        <ConfirmDialog
          title={`Revoke ${tokenLabel(open.token)}?`}
          message="Clients can no longer register with it; clients it registered stay."
          confirmLabel="Revoke"
          onConfirm={() => revoke(open.token)}
          onCancel={close}
        />
      )}
    </section>
  )
}

function AddTokenDialog(props: {
  onClose: () => void
  onAdded: (token: CreatedInitialAccessToken) => void
}) {
  const { app } = usePortal()
  const [draft, setDraft] = useState({ description: '', date: weekAhead(), maxUses: '' })
  const form = useForm(['description', 'expiration', 'maxUses'], async () => {
    const expiration = expirationOf(draft.date, false)
    const maxUses = draft.maxUses.trim() === '' ? null : Number(draft.maxUses)
    if (maxUses !== null && !(Number.isInteger(maxUses) && maxUses >= 1 && maxUses <= MAX_USES))
      throw new InvalidInput([
        { pointer: '#/maxUses', detail: `Enter a whole number from 1 to ${MAX_USES}, or nothing` },
      ])
    const body: InitialAccessTokenCreate = {
      description: draft.description.trim(),
      ...(typeof expiration === 'string' && { expiration }),
      maxUses,
    }
    props.onAdded(await app.api().post<CreatedInitialAccessToken>(PATH, body))
  })
  return (
    <Dialog title="Add Token" onClose={props.onClose}>
      <PortalForm
        form={form}
        label="Initial access token"
        submitLabel="Add"
        extra={
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
        }
      >
        <TextField
          label="Description"
          value={draft.description}
          errors={form.state.errors.description}
          hint="Optional: who it is for."
          onChange={(description) => setDraft({ ...draft, description })}
        />
        <TextField
          label="Expiration Date"
          type="date"
          value={draft.date}
          errors={form.state.errors.expiration}
          hint="At most 90 days ahead; a week by default."
          onChange={(date) => setDraft({ ...draft, date })}
        />
        <NumberField
          label="Max Uses"
          min={1}
          max={MAX_USES}
          value={draft.maxUses}
          errors={form.state.errors.maxUses}
          hint="How many clients it may register; empty for any number until it expires."
          onChange={(maxUses) => setDraft({ ...draft, maxUses })}
        />
      </PortalForm>
    </Dialog>
  )
}
