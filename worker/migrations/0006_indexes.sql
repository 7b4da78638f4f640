-- Indexes for the hot statements at scale (issue 14; plans in worker/storage-schema.md, checked by
-- test/worker/storage/query-plans.test.ts).

-- The management API's user list pages through a tenant's users by (created_at, id). Without this
-- index SQLite finds the tenant's users through (tenant_id, email_key) and sorts all of them in a
-- temporary B-tree for every page: 100,000 rows sorted to answer 20.
CREATE INDEX users_by_tenant_created ON users (tenant_id, created_at, id);
