// The demo SPA's entry: shows which identity server it talks to and whether it answers.
const issuer = import.meta.env.VITE_ISSUER
const app = document.getElementById('app') as HTMLElement

function row(term: string, value: string): string {
  const dt = document.createElement('dt')
  dt.textContent = term
  const dd = document.createElement('dd')
  dd.textContent = value
  return dt.outerHTML + dd.outerHTML
}

async function showServer(): Promise<void> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`)
    if (!response.ok) throw new Error(`discovery answered ${response.status}`)
    const metadata = (await response.json()) as { issuer: string; jwks_uri: string }
    app.innerHTML = `<h2>Identity server</h2><dl>${row('Issuer', metadata.issuer)}${row('JWKS', metadata.jwks_uri)}${row('Client id', import.meta.env.VITE_CLIENT_ID)}</dl>`
  } catch (error) {
    app.innerHTML = `<p class="error" role="alert"></p>`
    ;(app.firstElementChild as HTMLElement).textContent =
      `The identity server at ${issuer} does not answer: ${String(error)}`
  }
}

void showServer()
