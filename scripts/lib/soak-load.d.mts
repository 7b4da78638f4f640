// Types of soak-load.mjs, for the short soak of the end-to-end tests (test/e2e/soak.test.ts).

export interface LoadOptions {
  url: string
  /** The .dev.vars variables: the demo seed's ids and credentials. */
  vars: Record<string, string>
  durationMs: number
  connections: number
  /** One operation of the mix instead of the mix. */
  only?: string
}

export interface Recorder {
  requests: number
  latenciesMs: number[]
  errors: Map<string, { count: number; sample: string }>
  succeeded: Map<string, number>
}

export interface LoadSummary {
  requests: number
  requestsPerSecond: number
  latencyMs: { p50: number; p99: number; max: number }
  unexpectedErrors: number
  errors: Record<string, { count: number; sample: string }>
  succeeded: Record<string, number>
}

export function driveLoad(options: LoadOptions): Promise<Recorder>
export function summariseLoad(recorder: Recorder, durationMs: number): LoadSummary
