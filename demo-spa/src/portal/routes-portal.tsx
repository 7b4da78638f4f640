import type { View } from '../app'
import type { RouteDefinition } from '../router'
import { AddClientPage } from './add-client-page'
import { AuditPage } from './audit-page'
import { ClientDetailsPage } from './client-details-page'
import { ClientsPage } from './clients-page'
import { ResourcesPage } from './resources-page'
import { RolesPage } from './roles-page'
import { ThirdPartyClientsPage } from './third-party-clients-page'
import { portalView } from './ui/mount'
import { UsersPage } from './users-page'

/** The clients portal's pages (Account Administrators only). */
export const PORTAL_ROUTES: RouteDefinition<View>[] = [
  { pattern: '/clients', view: portalView('Clients', ClientsPage) },
  { pattern: '/clients/new', view: portalView('Add Client', AddClientPage) },
  { pattern: '/clients/:type/:id', view: portalView('Client', ClientDetailsPage) },
  { pattern: '/roles', view: portalView('Roles', RolesPage) },
  { pattern: '/users', view: portalView('Users', UsersPage) },
  { pattern: '/resources', view: portalView('Resources', ResourcesPage) },
  {
    pattern: '/third-party-clients',
    view: portalView('Third-party Clients', ThirdPartyClientsPage),
  },
  { pattern: '/audit', view: portalView('Audit log', AuditPage) },
]
