import { describe, expect, it } from 'vitest'
import { CliError } from '../errors.js'
import { batchPut, type BatchWriter } from './batchWrite.js'

type Request = { PutRequest: { Item: { id: number } } }

/** A writer that stores what it is sent, and hands back the items `reject` picks as unprocessed. */
function fakeWriter(reject: (call: number, batch: Request[]) => Request[]) {
  const stored: number[] = []
  const batchSizes: number[] = []
  let calls = 0
  const writer: BatchWriter = async (requestItems) => {
    const batch = requestItems.t as Request[]
    batchSizes.push(batch.length)
    const left = reject(++calls, batch)
    stored.push(...batch.filter((request) => !left.includes(request)).map((request) => request.PutRequest.Item.id))
    return { UnprocessedItems: left.length > 0 ? { t: left } : undefined }
  }
  return { writer, stored, batchSizes }
}

const items = (count: number) => Array.from({ length: count }, (_, id) => ({ id }))
const noSleep = { sleep: async () => {} }

describe('batchPut', () => {
  it('writes in batches of at most 25 and reports progress', async () => {
    const { writer, stored, batchSizes } = fakeWriter(() => [])
    let progress = 0
    const result = await batchPut(writer, 't', items(60), { ...noSleep, onWritten: (count) => (progress += count) })
    expect(batchSizes.sort((a, b) => a - b)).toEqual([10, 25, 25])
    expect(stored.sort((a, b) => a - b)).toEqual(items(60).map((item) => item.id))
    expect(progress).toBe(60)
    expect(result).toEqual({ requests: 3, retries: 0 })
  })

  it('resends UnprocessedItems with growing back-off until all are stored', async () => {
    const { writer, stored } = fakeWriter((call, batch) => (call <= 3 ? batch.slice(0, 10) : []))
    const delays: number[] = []
    const result = await batchPut(writer, 't', items(25), {
      concurrency: 1,
      baseDelayMs: 100,
      random: () => 1,
      sleep: async (ms) => void delays.push(ms)
    })
    expect(stored.sort((a, b) => a - b)).toEqual(items(25).map((item) => item.id))
    expect(delays).toEqual([100, 200, 400])
    expect(result).toEqual({ requests: 4, retries: 3 })
  })

  it('gives up with a CliError when a batch never goes through', async () => {
    const { writer } = fakeWriter((_call, batch) => batch.slice(0, 1))
    const error = await batchPut(writer, 't', items(3), { ...noSleep, maxAttempts: 3 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CliError)
    expect((error as Error).message).toMatch(/1 items still unprocessed after 3/)
  })
})
