// adoptTable and repairTable given the API's cache (a real Redis): what they change is marked stale there, so an API
// reading through that cache shows the repaired conversation lists at once, not after the TTL.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { adoptTable, repairTable } from '../../src/admin/index.js'
import { redisCache } from '../../src/cache/index.js'
import { createMessaging, timeOfSortKey } from '../../src/index.js'
import type { BootcampConversation } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { redisClient } from '../support/cache.js'

const { client, bootcamp } = bootcampTables('cache-maintenance')
const fast = { retry: { baseDelayMs: 1 } }

/** What each participant's cached conversation list says of `conversation`: the time of its last message. */
async function listedTimes(messaging: ReturnType<typeof createMessaging>, conversation: BootcampConversation) {
  return Promise.all(
    conversation.participants.map(async (participant) => {
      const { items } = await messaging.listMessageGroups({ userUuid: participant.uuid, limit: 100 })
      return items.find((group) => group.messageGroupUuid === conversation.messageGroupUuid)?.lastMessageAt
    })
  )
}

const newestTime = (conversation: BootcampConversation) => timeOfSortKey(conversation.messages.at(-1)!.sk)

describe.each([
  ['repairTable', (tableName: string, cache?: ReturnType<typeof redisCache>) => repairTable({ client, tableName, scope: 'all', ...fast, ...(cache && { cache }) })],
  ['adoptTable', (tableName: string, cache?: ReturnType<typeof redisCache>) => adoptTable({ client, tableName, ...fast, ...(cache && { cache }) })]
] as const)('%s with the API cache', (_name, run) => {
  it('marks every conversation list it changed stale: the API shows the repaired rows at once', async () => {
    const table = await bootcamp(`${_name}-given`, { seed: 5 })
    const behind = table.conversations.find((c) => c.damage === 'behind')!
    const cache = redisCache({ client: redisClient(), prefix: `t-${randomUUID().slice(0, 8)}:` })
    const messaging = createMessaging({ client, tableName: table.tableName, cache })

    const before = await listedTimes(messaging, behind) // fills the cache with the lists as the damage left them
    expect(before).not.toEqual([newestTime(behind), newestTime(behind)])

    const result = await run(table.tableName, cache)
    expect(result.changed.userUuids).toEqual(expect.arrayContaining(behind.participants.map((p) => p.uuid)))
    expect(await listedTimes(messaging, behind)).toEqual([newestTime(behind), newestTime(behind)])
  })

  it('(the check above can fail: without the cache given, the API keeps serving the stale lists)', async () => {
    const table = await bootcamp(`${_name}-not-given`, { seed: 5 })
    const behind = table.conversations.find((c) => c.damage === 'behind')!
    const cache = redisCache({ client: redisClient(), prefix: `t-${randomUUID().slice(0, 8)}:` })
    const messaging = createMessaging({ client, tableName: table.tableName, cache })

    const before = await listedTimes(messaging, behind)
    await run(table.tableName)
    expect(await listedTimes(messaging, behind)).toEqual(before)
  })
})
