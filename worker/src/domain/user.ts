export interface User {
  id: string
  tenantId: string
  email: string
  name: string
  enabled: boolean
  roleIds: string[]
  createdAt: number
  updatedAt: number
}

/**
 * The lookup key of an email address: trimmed and lower-cased, so `Ada@Example.com` and
 * `ada@example.com ` are one account (the local part is case-insensitive in practice).
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase()
}
