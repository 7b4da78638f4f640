import type { FC } from 'hono/jsx'
import { Layout } from './layout'

const GO_BACK =
  'Go back to the application and try again. If this keeps happening, contact its administrator.'

/**
 * What the user sees when a request cannot be answered to the application (unknown client,
 * unregistered redirect address, a form that cannot be verified or read, a used link): what
 * happened and what to do, never internals. Rendered only by the error handler
 * (middleware/render-error.tsx). Every value is escaped by hono/jsx (checklist A15).
 */
export const ErrorPage: FC<{
  title: string
  detail: string
  advice: string | undefined
  requestId: string
}> = ({ title, detail, advice, requestId }) => (
  <Layout title={title}>
    <p role="alert">{detail}</p>
    <p>{advice ?? GO_BACK}</p>
    <p class="note">Reference: {requestId}</p>
  </Layout>
)
