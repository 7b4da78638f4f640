#!/usr/bin/env node
// Operator commands against a running edge-identity (local by default), authenticated with
// OPS_TOKEN (from the environment, else from .dev.vars):
//   npm run keys:rotate [-- --force [--revoke-previous]] [--url https://auth.example.com]
//   npm run tenant:create -- --name "Acme" --admin-email admin@acme.example [--url ...]
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parseDotenv, ROOT } from './lib/project.mjs'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://localhost:8787' },
    force: { type: 'boolean', default: false },
    'revoke-previous': { type: 'boolean', default: false },
    name: { type: 'string' },
    'admin-email': { type: 'string' },
  },
})

const devVarsFile = path.join(ROOT, '.dev.vars')
const opsToken =
  process.env.OPS_TOKEN ??
  (existsSync(devVarsFile) ? parseDotenv(readFileSync(devVarsFile, 'utf8')).OPS_TOKEN : undefined)
if (!opsToken) {
  console.error('Set OPS_TOKEN (the worker secret of the same name) to use the operator commands.')
  process.exit(2)
}

async function call(method, route, body) {
  const response = await fetch(new URL(route, values.url), {
    method,
    headers: {
      Authorization: `Bearer ${opsToken}`,
      ...(body && { 'Content-Type': 'application/json' }),
    },
    ...(body && { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) {
    console.error(`${method} ${route} answered ${response.status}: ${text}`)
    process.exit(1)
  }
  return JSON.parse(text)
}

const [command] = positionals
if (command === 'rotate-keys') {
  const query = new URLSearchParams({
    ...(values.force && { force: 'true' }),
    ...(values.force && values['revoke-previous'] && { revoke: 'true' }),
  })
  const report = await call('POST', `/ops/keys/rotate?${query}`)
  console.log(JSON.stringify(report, null, 2))
} else if (command === 'create-tenant') {
  if (!values.name || !values['admin-email']) {
    console.error('Usage: npm run tenant:create -- --name NAME --admin-email EMAIL [--url URL]')
    process.exit(2)
  }
  const created = await call('POST', '/ops/tenants', {
    name: values.name,
    adminEmail: values['admin-email'],
  })
  console.log(JSON.stringify(created, null, 2))
  console.log('\nThe password and the client secret above are shown once: store them now.')
} else {
  console.error('Usage: node scripts/ops.mjs rotate-keys|create-tenant [options]')
  process.exit(2)
}
