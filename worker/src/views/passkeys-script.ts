/**
 * The script of the sign-in and account pages (served at `/assets/passkeys.js`, same origin, no
 * inline script). It uses the browser's JSON forms of WebAuthn options and credentials
 * (`PublicKeyCredential.parseRequestOptionsFromJSON`, `parseCreationOptionsFromJSON`, `toJSON`,
 * WebAuthn Level 3 §5.1.8 and §5.1.9) and submits the credential in an ordinary form, so the
 * server answers with its usual pages. Where WebAuthn is unavailable it says so and the password
 * form keeps working.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-parseCreationOptionsFromJSON WebAuthn §5.1.9}
 */
export const PASSKEYS_SCRIPT = `'use strict'
;(() => {
  const PKC = window.PublicKeyCredential
  const supported =
    typeof PKC === 'function' &&
    typeof PKC.parseRequestOptionsFromJSON === 'function' &&
    typeof PKC.parseCreationOptionsFromJSON === 'function'
  const status = document.getElementById('passkey-status')
  const say = (text) => {
    if (status) status.textContent = text
  }
  const post = (path, fields) =>
    fetch(path, { method: 'POST', body: new URLSearchParams(fields), credentials: 'same-origin' })

  const signIn = document.getElementById('sign-in-form')
  if (signIn) {
    const section = document.getElementById('passkey-sign-in')
    const button = document.getElementById('passkey-button')
    section.hidden = false
    let pending
    const fields = () => ({
      csrf: signIn.elements.csrf.value,
      interaction: signIn.elements.interaction.value,
    })
    const submit = (credential) => {
      const input = document.createElement('input')
      input.type = 'hidden'
      input.name = 'passkey'
      input.value = JSON.stringify(credential.toJSON())
      signIn.elements.password.value = ''
      signIn.append(input)
      signIn.submit()
    }
    const ask = async (mediation, signal) => {
      const answer = await post('/signin/passkey', fields())
      if (!answer.ok) throw new Error('options')
      const publicKey = PKC.parseRequestOptionsFromJSON(await answer.json())
      const credential = await navigator.credentials.get({ publicKey, mediation, signal })
      if (credential) submit(credential)
    }
    button.addEventListener('click', async () => {
      if (!supported) {
        say('This browser cannot use passkeys. Sign in with your email and password.')
        return
      }
      if (pending) pending.abort()
      pending = undefined
      say('')
      try {
        await ask('optional')
      } catch (error) {
        say('No passkey was used. Try again, or sign in with your email and password.')
      }
    })
    if (supported && typeof PKC.isConditionalMediationAvailable === 'function') {
      PKC.isConditionalMediationAvailable().then((available) => {
        if (!available) return
        pending = new AbortController()
        ask('conditional', pending.signal).catch(() => {})
      })
    }
  }

  const add = document.getElementById('add-passkey-form')
  if (add) {
    if (!supported) document.getElementById('passkey-support').hidden = false
    add.addEventListener('submit', async (event) => {
      event.preventDefault()
      if (!supported) {
        say('This browser cannot create passkeys.')
        return
      }
      say('')
      try {
        const answer = await post('/account/passkeys/options', { csrf: add.elements.csrf.value })
        if (answer.status === 401) {
          say('Sign in again to add a passkey.')
          window.location.assign('/account/sign-in')
          return
        }
        if (!answer.ok) throw new Error('options')
        const publicKey = PKC.parseCreationOptionsFromJSON(await answer.json())
        const credential = await navigator.credentials.create({ publicKey })
        add.elements.credential.value = JSON.stringify(credential.toJSON())
        add.submit()
      } catch (error) {
        say('No passkey was added. Try again.')
      }
    })
  }
})()
`
