import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { withdrawConsent } from '../storage/consents'
import { backTo, formHolder } from './account-passkeys'
import { methodNotAllowed } from './method-not-allowed'
import { formField } from './read-form'

/**
 * The account page's "Apps with access" action: `POST /account/consents/withdraw` (a form of the
 * page: CSRF token and same-origin check, from a live session) deletes the user's consent to a
 * client and revokes that user's grants for it, so its refresh tokens and the access tokens of
 * those grants stop working at once (RFC 7009 §2.1); audited as `consent.withdrawn`. Answered by
 * a 303 back to the page (checklist A13).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1}
 */
export function accountConsentRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/consents/withdraw', async (c) => {
    const deps = c.get('deps')
    const { holder, form } = await formHolder(c)
    const clientId = formField(form, 'client') ?? ''
    const now = deps.now()
    await withdrawConsent(
      deps.db,
      { tenantId: holder.tenantId, userId: holder.userId, clientId, now },
      {
        tenantId: holder.tenantId,
        actorType: 'user',
        actorId: holder.userId,
        action: 'consent.withdrawn',
        targetType: 'client',
        targetId: clientId,
        requestId: deps.requestId,
        occurredAt: now,
      },
    )
    return backTo(c, 'withdrawn')
  })
  app.all('/consents/withdraw', methodNotAllowed('POST'))
  return app
}
