/**
 * Built-in roles of every tenant (docs/architecture.md). Account Member is always held by every
 * user and client and cannot be removed; Account Administrator may manage the tenant.
 */
export const ACCOUNT_MEMBER = 'account-member'
export const ACCOUNT_ADMINISTRATOR = 'account-administrator'

export const BUILT_IN_ROLES = [
  {
    id: ACCOUNT_MEMBER,
    name: 'Account Member',
    description: 'Every user and client of the tenant holds this role.',
  },
  {
    id: ACCOUNT_ADMINISTRATOR,
    name: 'Account Administrator',
    description: 'May manage the clients, secrets, roles and users of the tenant.',
  },
] as const

/** The role ids to store: the requested ones, de-duplicated, with Account Member always first. */
export function withAccountMember(roleIds: readonly string[]): string[] {
  return [ACCOUNT_MEMBER, ...new Set(roleIds.filter((id) => id !== ACCOUNT_MEMBER))]
}
