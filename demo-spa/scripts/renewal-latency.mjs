#!/usr/bin/env node
// Silent renewal latency (issue 7 "Budgets": under 300 ms at the median on localhost, reported,
// not asserted). Starts nothing: against a running `npm start`, it signs the demo administrator
// in through the demo SPA in headless Chromium, presses Renew now N times and reads each
// renewal's `durationMs` (the library's `renewed` event, shown in the SPA's renewal log): hidden
// iframe with prompt=none, code exchange and ID token validation.
//
// Usage: node demo-spa/scripts/renewal-latency.mjs [--runs 30] [--spa http://localhost:5173]
//        (CHROMIUM_PATH overrides /usr/bin/chromium)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { parseDotenv, ROOT } from '../../scripts/lib/project.mjs'

const TARGET_MEDIAN_MS = 300
const WARM_UP_RUNS = 2

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    spa: { type: 'string', default: 'http://localhost:5173' },
  },
})
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer')
const devVars = parseDotenv(readFileSync(path.join(ROOT, '.dev.vars'), 'utf8'))

const profile = mkdtempSync(path.join(tmpdir(), 'edge-identity-latency-'))
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  ],
})
try {
  const page = await context.newPage()
  await page.goto(`${values.spa}/`)
  await page.locator('#account button').first().waitFor({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByLabel('Email').fill(devVars.DEMO_ADMIN_EMAIL)
  await page.getByLabel('Password').fill(devVars.DEMO_ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('button', { name: 'Renew now' }).waitFor({ timeout: 30_000 })

  const renewals = page.locator('#renewal-log li[data-kind="renewed"][data-network="true"]')
  const failures = page.locator('#renewal-log li[data-kind="failed"]')
  const durations = []
  for (let run = 0; run < WARM_UP_RUNS + runs; run++) {
    const before = await renewals.count()
    await page.getByRole('button', { name: 'Renew now' }).click()
    await page.waitForFunction(
      ({ selector, count }) => document.querySelectorAll(selector).length > count,
      {
        selector:
          '#renewal-log li[data-kind="renewed"][data-network="true"], #renewal-log li[data-kind="failed"]',
        count: before + (await failures.count()),
      },
      { timeout: 15_000 },
    )
    if ((await failures.count()) > 0) {
      throw new Error(`a renewal failed: ${await failures.first().textContent()}`)
    }
    const ms = Number(await renewals.first().getAttribute('data-duration-ms'))
    if (run >= WARM_UP_RUNS) durations.push(ms)
  }

  durations.sort((a, b) => a - b)
  const at = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]
  const median =
    durations.length % 2 === 1
      ? durations[(durations.length - 1) / 2]
      : (durations[durations.length / 2 - 1] + durations[durations.length / 2]) / 2
  console.log(
    `silent renewal on localhost, headless Chromium, ${runs} runs (after ${WARM_UP_RUNS} warm-up):`,
  )
  console.log(
    `  median ${median} ms   p90 ${at(0.9)} ms   min ${durations[0]} ms   max ${durations.at(-1)} ms`,
  )
  console.log(
    `  target: median under ${TARGET_MEDIAN_MS} ms -> ${median < TARGET_MEDIAN_MS ? 'met' : 'NOT met'}`,
  )
} finally {
  await context.close().catch(() => undefined)
  rmSync(profile, { recursive: true, force: true })
}
