import type { UserConsoleLog } from 'vitest'
import type { Reporter } from 'vitest/node'

/** The line each fuzz property prints (harness.ts COUNT_LINE): name, cases, failures. */
const COUNT = /^fuzz-cases (\S+) (\d+) (\d+)$/m

/**
 * Adds up the cases the fuzz properties ran, in Node, across the test files (each runs in its
 * own workerd), and prints one line at the end: `fuzz: 10240 cases, 0 failures`. Silent when no
 * fuzz property ran.
 */
export default class FuzzSummaryReporter implements Reporter {
  private cases = 0
  private failures = 0
  private properties = 0

  onTestRunStart(): void {
    this.cases = 0
    this.failures = 0
    this.properties = 0
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    const match = COUNT.exec(log.content)
    if (match === null) return
    this.properties += 1
    this.cases += Number(match[2])
    this.failures += Number(match[3])
  }

  onTestRunEnd(): void {
    if (this.properties === 0) return
    process.stdout.write(
      `fuzz: ${this.cases} cases, ${this.failures} failures (${this.properties} properties)\n`,
    )
  }
}
