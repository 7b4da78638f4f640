/**
 * What `import 'reflect-metadata'` gives the deployed bundle (`alias` in wrangler.toml): nothing.
 * @simplewebauthn/server imports the polyfill (14 KB minified) for @peculiar/x509's dependency
 * injection, and that package is left out (`./peculiar-x509.ts`); nothing else here reads
 * `Reflect` metadata.
 */
export {}
