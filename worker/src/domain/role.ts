export interface Role {
  id: string
  tenantId: string
  name: string
  description: string
  builtIn: boolean
  createdAt: number
  updatedAt: number
}
