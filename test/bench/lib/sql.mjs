// Splits a migration file into statements for D1's batch(), which takes one statement per
// prepare(). Comments go; semicolons inside quoted strings or identifiers do not split.
// Not handled (none of our migrations use them): CREATE TRIGGER ... BEGIN ...; END bodies.

export function splitSqlStatements(sql) {
  const statements = []
  let current = ''
  let i = 0
  while (i < sql.length) {
    const char = sql[i]
    if (char === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      i = end < 0 ? sql.length : end
    } else if (char === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (char === "'" || char === '"' || char === '`') {
      // Quoted text runs to the next unescaped quote; a doubled quote is an escaped one.
      let end = i + 1
      while (end < sql.length && !(sql[end] === char && sql[end + 1] !== char)) {
        end += sql[end] === char ? 2 : 1
      }
      current += sql.slice(i, end + 1)
      i = end + 1
    } else if (char === ';') {
      if (current.trim() !== '') statements.push(current.trim())
      current = ''
      i++
    } else {
      current += char
      i++
    }
  }
  if (current.trim() !== '') statements.push(current.trim())
  return statements
}
