#!/usr/bin/env node
// `npm run fuzz`: the property-based fuzz suite of the worker (test/worker/fuzz), with more cases
// than the default run of `npm test` (10,000). Before a release: `npm run fuzz -- --runs 100000`.
// `--seed N` replays a run (the seed is printed with every failure).
import path from 'node:path'
import { parseArgs } from 'node:util'
import { BIN, ensureDependencies, run } from './lib/project.mjs'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } },
})
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, not ${values.runs}`)
  process.exit(2)
}
if (values.seed !== undefined && !Number.isInteger(Number(values.seed))) {
  console.error(`--seed must be an integer, not ${values.seed}`)
  process.exit(2)
}

await ensureDependencies()
try {
  await run(
    path.join(BIN, 'vitest'),
    ['run', '--config', 'test/worker/vitest.config.ts', 'test/worker/fuzz'],
    {
      env: {
        ...process.env,
        FUZZ_RUNS: String(runs),
        ...(values.seed !== undefined && { FUZZ_SEED: values.seed }),
      },
    },
  )
} catch {
  process.exit(1)
}
