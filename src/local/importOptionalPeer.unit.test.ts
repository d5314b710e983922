import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { importOptionalPeer } from './importOptionalPeer.js'

const MISSING = 'Install it: npm install --save-dev no-such-peer-of-dynamo-messaging'

describe('importOptionalPeer', () => {
  it('loads an installed package', async () => {
    const ulid = await importOptionalPeer('ulid', () => import('ulid'), MISSING)
    expect(typeof ulid.ulid).toBe('function')
  })

  it('turns "not installed" into the given message, from import() and from require()', async () => {
    for (const load of [
      // @ts-expect-error -- a package that does not exist
      () => import('no-such-peer-of-dynamo-messaging'),
      async () => createRequire(import.meta.url)('no-such-peer-of-dynamo-messaging')
    ]) {
      const error = await importOptionalPeer('no-such-peer-of-dynamo-messaging', load, MISSING).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toBe(MISSING)
      expect((error as Error).cause).toBeDefined()
    }
  })

  it('rethrows any other failure as it is', async () => {
    const broken = Object.assign(new Error("Cannot find module '/x/node_modules/ulid/dist/missing.js'"), { code: 'MODULE_NOT_FOUND' })
    await expect(importOptionalPeer('ulid', () => Promise.reject(broken), MISSING)).rejects.toBe(broken)
    const inside = new TypeError('boom')
    await expect(importOptionalPeer('ulid', () => Promise.reject(inside), MISSING)).rejects.toBe(inside)
  })
})
