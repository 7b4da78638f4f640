import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  KEY_PREPUBLICATION_SECONDS,
  KEY_RETENTION_SECONDS,
  KEY_ROTATION_INTERVAL_SECONDS,
  type KeyState,
  planPromotion,
} from '../../../worker/src/domain/key-rotation'

const NOW = 2_000_000_000

const key = (state: KeyState['state']) =>
  fc.record({
    kid: fc.uuid(),
    state: fc.constant(state),
    createdAt: fc.integer({ min: NOW - 400 * 86400, max: NOW }),
    activatedAt: fc.option(fc.integer({ min: NOW - 400 * 86400, max: NOW }), { nil: null }),
  })

describe('planPromotion (OIDC Core §10.1.1)', () => {
  it('G07 never lets a next key sign before it has been published for the pre-publication period', () => {
    fc.assert(
      fc.property(key('active'), key('next'), (active, next) => {
        const plan = planPromotion([active, next], NOW)
        if (plan !== undefined) {
          expect(NOW - next.createdAt).toBeGreaterThanOrEqual(KEY_PREPUBLICATION_SECONDS)
          expect(NOW - (active.activatedAt ?? active.createdAt)).toBeGreaterThanOrEqual(
            KEY_ROTATION_INTERVAL_SECONDS,
          )
        }
      }),
    )
  })

  it('G07 keeps a retired key published for at least the retention period', () => {
    fc.assert(
      fc.property(key('active'), key('next'), fc.boolean(), (active, next, force) => {
        const plan = planPromotion([active, next], NOW, { force })
        if (plan !== undefined) {
          expect(plan.deleteAfter - NOW).toBe(KEY_RETENTION_SECONDS)
          expect(plan.activeKid).toBe(active.kid)
          expect(plan.nextKid).toBe(next.kid)
        }
      }),
    )
  })

  it('promotes at once when forced, and never without a next key', () => {
    fc.assert(
      fc.property(key('active'), key('next'), (active, next) => {
        expect(planPromotion([active, next], NOW, { force: true })?.nextKid).toBe(next.kid)
        expect(planPromotion([active], NOW, { force: true })).toBeUndefined()
      }),
    )
  })

  it('promotes a next key at once when no key is active (first start)', () => {
    expect(
      planPromotion([{ kid: 'n', state: 'next', createdAt: NOW, activatedAt: null }], NOW),
    ).toEqual({ activeKid: undefined, nextKid: 'n', deleteAfter: NOW + KEY_RETENTION_SECONDS })
  })
})
