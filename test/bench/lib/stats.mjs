// Small statistics helpers. Medians, because these machines are shared and noisy
// (docs/performance.md): one slow round must not move the figure we quote.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

/**
 * Latencies of every response, in milliseconds with sub-millisecond precision (autocannon's own
 * histogram rounds to whole milliseconds, too coarse for ~1 ms requests). Grows as needed.
 */
export class LatencyRecorder {
  #values = new Float64Array(1 << 16)
  #count = 0

  record(ms) {
    if (this.#count === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2)
      bigger.set(this.#values)
      this.#values = bigger
    }
    this.#values[this.#count++] = ms
  }

  summary() {
    const sorted = this.#values.slice(0, this.#count).sort()
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9),
      max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    }
  }
}
