/**
 * A minimal typed event emitter on the platform's EventTarget: a listener that throws is reported
 * by the browser (DOM §2.9 "report the exception") and cannot break the library or silence the
 * other listeners.
 *
 * @example
 * const events = createEmitter<{ ping: number }>()
 * const off = events.on('ping', (n) => console.log(n))
 * events.emit('ping', 1)
 * off()
 */
export function createEmitter<M>() {
  let target = new EventTarget()
  return {
    on<K extends keyof M & string>(type: K, listener: (detail: M[K]) => void): () => void {
      const handler = (event: Event) => listener((event as CustomEvent<M[K]>).detail)
      target.addEventListener(type, handler)
      return () => target.removeEventListener(type, handler)
    },
    emit<K extends keyof M & string>(type: K, detail: M[K]): void {
      target.dispatchEvent(new CustomEvent(type, { detail }))
    },
    clear(): void {
      target = new EventTarget()
    },
  }
}
