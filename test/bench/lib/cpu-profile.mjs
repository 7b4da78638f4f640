// A CPU profile of one worker's isolate through the DevTools protocol that Miniflare exposes
// (inspectorPort), and its self time grouped by original source file via the bundle's source
// map. Only JavaScript in the worker's isolate shows up: Miniflare's entry worker, D1's SQLite
// and the HTTP stack run elsewhere and count only in the process CPU the bench measures.
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import path from 'node:path'
import { ROOT } from '../../../scripts/lib/project.mjs'

/** Minimal DevTools client: send(method, params) resolves to the result. */
async function connect(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()
  if (targets.length === 0) throw new Error('no worker to inspect')
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl)
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true })
    socket.addEventListener('error', () => reject(new Error('inspector unreachable')), {
      once: true,
    })
  })
  let nextId = 1
  const pending = new Map()
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data))
    const waiter = pending.get(message.id)
    if (waiter === undefined) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(message.error.message))
    else waiter.resolve(message.result)
  })
  return {
    send(method, params = {}) {
      const id = nextId++
      socket.send(JSON.stringify({ id, method, params }))
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }))
    },
    close: () => socket.close(),
  }
}

/** Profiles the worker while `during()` runs; answers the raw .cpuprofile and during()'s value. */
export async function profileWhile(inspectorPort, during, samplingMicros = 100) {
  const inspector = await connect(inspectorPort)
  try {
    await inspector.send('Profiler.enable')
    await inspector.send('Profiler.setSamplingInterval', { interval: samplingMicros })
    await inspector.send('Profiler.start')
    const value = await during()
    const { profile } = await inspector.send('Profiler.stop')
    return { profile, value }
  } finally {
    inspector.close()
  }
}

/**
 * Where a sample's code came from: a file of the repository (through the bundle's source map),
 * a workerd built-in module (D1's client, for example), or native work with no script at all.
 */
function sourceOf(frame, bundleName, sourceMap) {
  // (program): native work on the isolate's thread outside JS; (garbage collector): V8's GC;
  // other names without a URL are runtime APIs implemented natively (fetch, Response, digest).
  if (frame.url === '') {
    return frame.functionName.startsWith('(') ? frame.functionName : `native: ${frame.functionName}`
  }
  if (path.basename(frame.url) !== bundleName) return `workerd: ${frame.url}`
  const file = sourceMap?.findEntry(frame.lineNumber, frame.columnNumber)?.originalSource
  if (file === undefined) return `${bundleName} (unmapped)`
  const relative = path.relative(ROOT, file.replace(/^file:\/\//, ''))
  // node_modules/<package>/...: the package is what matters.
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(relative)
  return match ? `${match[1]}: ${match[2]}` : relative
}

/**
 * Self time by source file and by function, in microseconds per request. Sampled time is the
 * isolate thread's wall time between samples: on a busy machine it exceeds CPU time, so read
 * the shares, and scale by the bench's CPU per request for absolute figures.
 */
export function summarizeProfile(profile, requests, scriptPath) {
  const sourceMap = new SourceMap(JSON.parse(readFileSync(`${scriptPath}.map`, 'utf8')))
  const bundleName = path.basename(scriptPath)
  const selfMicros = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i + 1] is the time until the next sample: the time spent in samples[i].
    const delta = profile.timeDeltas[i + 1] ?? 0
    selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + delta)
  }
  const bySource = new Map()
  const byFunction = new Map()
  let total = 0
  let idle = 0
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0
    if (micros === 0) continue
    if (node.callFrame.functionName === '(idle)') {
      idle += micros
      continue
    }
    total += micros
    const source = sourceOf(node.callFrame, bundleName, sourceMap)
    bySource.set(source, (bySource.get(source) ?? 0) + micros)
    const name = `${node.callFrame.functionName || '(anonymous)'}  [${source}]`
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
  }
  const perRequest = (entries) =>
    [...entries]
      .map(([name, micros]) => ({ name, micros: micros / requests }))
      .sort((a, b) => b.micros - a.micros)
  return {
    jsMicrosPerRequest: total / requests,
    idleMicros: idle,
    bySource: perRequest(bySource),
    byFunction: perRequest(byFunction),
  }
}
