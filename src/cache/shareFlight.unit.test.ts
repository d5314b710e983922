import { describe, expect, it } from 'vitest'
import { shareFlight } from './shareFlight.js'

describe('shareFlight', () => {
  it('runs once for concurrent callers of a key, and again once it settled', async () => {
    const flights = new Map<string, Promise<unknown>>()
    let runs = 0
    const run = async () => {
      runs++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return runs
    }
    expect(await Promise.all([shareFlight(flights, 'k', run), shareFlight(flights, 'k', run), shareFlight(flights, 'other', run)])).toEqual([2, 2, 2])
    expect(flights.size).toBe(0)
    expect(await shareFlight(flights, 'k', run)).toBe(3)
  })

  it('shares a failure with those who joined, and forgets it', async () => {
    const flights = new Map<string, Promise<unknown>>()
    const failing = () => Promise.reject(new Error('throttled'))
    const results = await Promise.allSettled([shareFlight(flights, 'k', failing), shareFlight(flights, 'k', async () => 'unused')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(await shareFlight(flights, 'k', async () => 'fresh')).toBe('fresh')
  })
})
