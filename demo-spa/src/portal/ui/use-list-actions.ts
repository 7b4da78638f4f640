import { useState } from 'hono/jsx/dom'
import { usePortal } from './portal-context'

/**
 * The wiring a list page shares: what it has open (one dialog at a time) and the alert of its
 * last failed row action. `act` closes the dialog, runs the change, then announces `done`, or
 * shows the failure above the list.
 */
export function useListActions<Open>() {
  const { app } = usePortal()
  const [open, setOpen] = useState<Open | undefined>(undefined)
  const [failure, setFailure] = useState<unknown>(undefined)
  const close = () => setOpen(undefined)
  const act = async (work: () => Promise<void>, done?: string) => {
    close()
    try {
      await work()
      setFailure(undefined)
      if (done !== undefined) app.announce(done)
    } catch (error) {
      setFailure(error)
    }
  }
  return { open, setOpen, close, failure, act }
}
