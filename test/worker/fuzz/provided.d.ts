declare module 'vitest' {
  export interface ProvidedContext {
    /** Cases of the whole fuzz suite per run (`FUZZ_RUNS`). */
    fuzzRuns: number
    /** A fast-check seed to replay a run (`FUZZ_SEED`), or a fresh one. */
    fuzzSeed: number | undefined
  }
}

export {}
