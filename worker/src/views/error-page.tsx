import type { FC } from 'hono/jsx'
import { Layout } from './layout'

/**
 * What the user sees when a request cannot be answered to the application (unknown client,
 * unregistered redirect address, broken form): what happened and what to do, never internals.
 * Every value is escaped by hono/jsx (checklist A15).
 */
export const ErrorPage: FC<{ title: string; detail: string; requestId: string }> = ({
  title,
  detail,
  requestId,
}) => (
  <Layout title={title}>
    <p role="alert">{detail}</p>
    <p>
      Go back to the application and try again. If this keeps happening, contact its administrator.
    </p>
    <p class="note">Reference: {requestId}</p>
  </Layout>
)
