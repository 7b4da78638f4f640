import type { LogLevel } from './config'

export type LogFields = Record<string, unknown>

/** Structured JSON logs, one object per line, as Workers Logs indexes them. */
export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/**
 * Field names whose values are never logged, whatever the caller passes: logs are read by more
 * people than the database (RFC 6819 §5.1.4.1.3, checklist C07).
 */
const SENSITIVE_KEY = /secret|password|token|authorization|cookie|code_verifier|^code$|assertion/i

function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    // The deployed bundle is minified without kept names (wrangler.toml `keep_names`), so a
    // library error that takes its name from its class (jose's) is logged under a short one;
    // its `code` (ERR_JWT_EXPIRED, ...) still says what failed. Ours set their names explicitly.
    const code = (value as { code?: unknown }).code
    return {
      name: value.name,
      ...(typeof code === 'string' && { code }),
      message: value.message,
      cause: redact(value.cause, depth + 1),
    }
  }
  if (value === null || typeof value !== 'object' || depth > 4) return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SENSITIVE_KEY.test(k) ? '[redacted]' : redact(v, depth + 1),
    ]),
  )
}

export function createLogger(level: LogLevel, base: LogFields = {}): Logger {
  return new JsonLogger(RANK[level], base)
}

/**
 * One class, not an object of closures: every request makes a child logger (its request id), so
 * a child is one small object (issue 14, per-request overhead).
 */
class JsonLogger implements Logger {
  constructor(
    private readonly minimum: number,
    private readonly base: LogFields,
  ) {}

  debug(event: string, fields?: LogFields) {
    this.write('debug', event, fields)
  }
  info(event: string, fields?: LogFields) {
    this.write('info', event, fields)
  }
  warn(event: string, fields?: LogFields) {
    this.write('warn', event, fields)
  }
  error(event: string, fields?: LogFields) {
    this.write('error', event, fields)
  }
  child(fields: LogFields): Logger {
    return new JsonLogger(this.minimum, { ...this.base, ...fields })
  }

  private write(at: LogLevel, event: string, fields?: LogFields) {
    if (RANK[at] < this.minimum) return
    const line = JSON.stringify({
      level: at,
      event,
      time: new Date().toISOString(),
      ...(redact({ ...this.base, ...fields }) as LogFields),
    })
    if (at === 'error') console.error(line)
    else if (at === 'warn') console.warn(line)
    else console.log(line)
  }
}
