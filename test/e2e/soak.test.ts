import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { parseDotenv, ROOT } from '../../scripts/lib/project.mjs'
import { driveLoad, summariseLoad } from '../../scripts/lib/soak-load.mjs'
import { SERVER } from './helpers/stack'

// The short soak of `npm run soak` (scripts/soak.mjs): mixed traffic from 20 connections for
// 12 s against the `npm start` stack. It asserts correctness under concurrency, never timing:
// every request answers what it must (no 5xx, no lost refresh rotations, no failed redemptions).
const DURATION_MS = 12_000

it('answers 12 s of mixed traffic at 20 connections with zero unexpected errors', async () => {
  const vars = parseDotenv(readFileSync(path.join(ROOT, '.dev.vars'), 'utf8'))
  const recorder = await driveLoad({ url: SERVER, vars, durationMs: DURATION_MS, connections: 20 })
  const summary = summariseLoad(recorder, DURATION_MS)
  expect(summary.errors).toEqual({})
  // Every flow of the mix ran and succeeded at least once.
  for (const operation of [
    'token:client_credentials',
    'token:authorization_code',
    'token:refresh_token',
    'authorize:page',
    'authorize:session',
    'signin',
    'jwks',
    'userinfo',
    'api:GET users',
    'api:POST users',
    'api:DELETE users',
  ]) {
    expect(summary.succeeded[operation], operation).toBeGreaterThan(0)
  }
}, 60_000)
