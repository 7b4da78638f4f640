import type { FC } from 'hono/jsx'

/** The parts of an OpenAPI 3.1 document the reference page shows. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string }
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, unknown> }
}

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> }
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }
  >
}

const refName = (schema: { $ref?: string } | undefined) => schema?.$ref?.split('/').pop()

const SchemaLink: FC<{ schema: { $ref?: string } | undefined }> = ({ schema }) => {
  const name = refName(schema)
  return name === undefined ? null : <a href={`#schema-${name}`}>{name}</a>
}

/**
 * A browsable reference of the management API, rendered on the server from the OpenAPI document:
 * no script and no third-party resource (checklist A14 spirit), readable without JavaScript.
 */
export const ApiReference: FC<{ doc: OpenApiDocument; specUrl: string }> = ({ doc, specUrl }) => {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  )
  const tags = [...new Set(operations.map((o) => o.operation.tags?.[0] ?? 'other'))]
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.info.title}</title>
        <link rel="stylesheet" href="reference.css" />
      </head>
      <body>
        <header>
          <h1>{doc.info.title}</h1>
          <p>
            Version {doc.info.version}. Machine-readable: <a href={specUrl}>OpenAPI 3.1 document</a>
            .
          </p>
          {doc.info.description && <p>{doc.info.description}</p>}
        </header>
        <nav aria-label="Resources">
          <ul>
            {tags.map((tag) => (
              <li>
                <a href={`#tag-${tag}`}>{tag}</a>
              </li>
            ))}
            <li>
              <a href="#schemas">schemas</a>
            </li>
          </ul>
        </nav>
        <main>
          {tags.map((tag) => (
            <section id={`tag-${tag}`}>
              <h2>{tag}</h2>
              {operations
                .filter((o) => (o.operation.tags?.[0] ?? 'other') === tag)
                .map(({ path, method, operation }) => (
                  <article class="operation">
                    <h3>
                      <span class={`method ${method}`}>{method.toUpperCase()}</span>{' '}
                      <code>{path}</code>
                    </h3>
                    {operation.summary && <p>{operation.summary}</p>}
                    {operation.description && <p class="description">{operation.description}</p>}
                    {operation.requestBody?.content?.['application/json'] && (
                      <p>
                        Request body:{' '}
                        <SchemaLink
                          schema={operation.requestBody.content['application/json'].schema}
                        />
                      </p>
                    )}
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Status</th>
                          <th scope="col">Meaning</th>
                          <th scope="col">Body</th>
                        </tr>
                      </thead>
                      <tbody>
                        {Object.entries(operation.responses ?? {}).map(([status, response]) => (
                          <tr>
                            <td>{status}</td>
                            <td>{response.description}</td>
                            <td>
                              {Object.values(response.content ?? {}).map((media) => (
                                <SchemaLink schema={media.schema} />
                              ))}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </article>
                ))}
            </section>
          ))}
          <section id="schemas">
            <h2>Schemas</h2>
            {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
              <details id={`schema-${name}`}>
                <summary>{name}</summary>
                <pre>{JSON.stringify(schema, null, 2)}</pre>
              </details>
            ))}
          </section>
        </main>
      </body>
    </html>
  )
}

export const API_REFERENCE_CSS = `
:root { font-family: system-ui, sans-serif; color-scheme: light dark; line-height: 1.5 }
body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0 }
.operation { border-top: 1px solid #8884; padding: .5rem 0 }
.method { display: inline-block; min-width: 4.5rem; font-size: .85em; font-weight: 700 }
.get { color: #1565c0 } .post { color: #2e7d32 } .put { color: #ef6c00 } .delete { color: #c62828 }
table { border-collapse: collapse } th, td { text-align: left; padding: .15rem .75rem .15rem 0 }
pre { overflow-x: auto; font-size: .85em }
`
