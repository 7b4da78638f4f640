/**
 * `zod/v4/core` as the deployed bundle sees it: everything, except that `locales` holds English
 * only. See `./zod.ts` for why.
 */
import en from 'zod/v4/locales/en.js'

export * from 'zod/v4/core'
/** The error-message locales: English only (zod's default, the one every message uses here). */
export const locales = Object.freeze({ en })
