import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging, messageGroupUuidFor, type Message, type MessageGroup, type MessagingClient } from '../../src/index.js'
import { SAMPLE_USERS } from '../../src/local/sampleUsers.js'
import { createTestTable, dropTestTable, engineClient, scanAll, user } from '../support/engine.js'
import { on, oneErrorLine, runCli, type CliResult } from './runCli.js'

let client: DynamoDBClient
let tableName: string
let messaging: MessagingClient
const { ada, ben } = SAMPLE_USERS
const adaBen = messageGroupUuidFor(ada.uuid, ben.uuid)

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'cli-read')
  messaging = createMessaging({ client, tableName })
  // 420 bulk messages: over 100 per conversation, so Pattern A needs two pages of 100.
  const seeded = await runCli(['seed', '--messages', '420', ...on(tableName)])
  expect(seeded.code).toBe(0)
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

/** The `consumed capacity: N RCU` line's N. */
function consumedRcu(result: CliResult): number {
  const match = /^consumed capacity: ([\d.]+) RCU/m.exec(result.stderr)
  if (!match) throw new Error(`no consumed-capacity line in:\n${result.stderr}`)
  return Number(match[1])
}
const pagesOf = (result: CliResult) => Number(/\((\d+) pages?\)/.exec(result.stderr)?.[1])

describe('scan', () => {
  it('prints every item, as a table and as JSON', async () => {
    const stored = await scanAll(client, tableName)
    const json = await runCli(['scan', '--json', ...on(tableName)])
    expect(json.code).toBe(0)
    const items = JSON.parse(json.stdout) as Record<string, unknown>[]
    const keys = (list: Record<string, unknown>[]) => list.map((item) => `${item.pk} ${item.sk}`).sort()
    expect(keys(items)).toEqual(keys(stored))
    expect(items).toEqual(expect.arrayContaining(stored))
    expect(json.stderr).toContain(`${stored.length} items in ${tableName}`)

    const table = await runCli(['scan', ...on(tableName)])
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(stored.length + 2)
    expect(lines[0]).toMatch(/^kind\s+pk\s+sk\s+user_handle\s+message$/)
    expect(lines.filter((line) => line.startsWith('conversation ')).length).toBe(4)
    expect(lines.filter((line) => line.startsWith('member ')).length).toBe(8)
    expect(lines.filter((line) => line.startsWith('row ')).length).toBe(8)
    expect(table.stdout).toContain('Morning Ben! Did the new espresso grinder arrive?')
    expect(consumedRcu(table)).toBeGreaterThan(0)
  })

  it('follows LastEvaluatedKey: a small --page-size reads everything over many pages', async () => {
    const stored = await scanAll(client, tableName)
    const result = await runCli(['scan', '--json', '--page-size', '50', ...on(tableName)])
    expect(JSON.parse(result.stdout)).toHaveLength(stored.length)
    expect(pagesOf(result)).toBeGreaterThanOrEqual(Math.ceil(stored.length / 50))
  })

  it('reads past the 1 MB page limit of a Scan (where the seeds\' script stopped)', async () => {
    const big = await createTestTable(client, 'cli-big')
    try {
      // 1,100 items of about 1 KB: more than one 1 MB Scan page.
      const doc = DynamoDBDocumentClient.from(client)
      const items = Array.from({ length: 1100 }, (_, i) => ({ pk: `MSG#${i % 7}`, sk: String(i).padStart(5, '0'), message: 'x'.repeat(1000) }))
      for (let i = 0; i < items.length; i += 25) {
        await doc.send(new BatchWriteCommand({ RequestItems: { [big]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }))
      }
      const result = await runCli(['scan', '--json', ...on(big)])
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toHaveLength(1100)
      expect(pagesOf(result)).toBeGreaterThanOrEqual(2)
    } finally {
      await dropTestTable(client, big)
    }
  })
})

describe('get-conversation (Pattern A)', () => {
  it('prints every message of the conversation, oldest first, over all pages, and the read capacity', async () => {
    const newestFirst: Message[] = []
    let cursor: string | undefined
    do {
      const page = await messaging.listMessages({ messageGroupUuid: adaBen, limit: 100, ...(cursor && { cursor }) })
      newestFirst.push(...page.items)
      cursor = page.cursor
    } while (cursor)
    expect(newestFirst.length).toBeGreaterThan(100)

    const result = await runCli(['get-conversation', adaBen, ...on(tableName)])
    expect(result.code).toBe(0)
    const rows = result.stdout.trimEnd().split('\n').slice(2)
    expect(rows).toHaveLength(newestFirst.length)
    const oldestFirst = [...newestFirst].reverse()
    rows.forEach((row, i) => {
      const message = oldestFirst[i]!
      expect(row).toMatch(new RegExp(`^${message.createdAt}\\s+${message.handle} \\(${message.displayName}\\)\\s+`))
      expect(row.endsWith(message.message)).toBe(true)
    })
    expect(result.stdout).toContain('Perfect. See you at ten ☕')
    expect(pagesOf(result)).toBe(2)
    expect(result.stderr).toContain(`${newestFirst.length} messages in conversation ${adaBen}`)
    expect(consumedRcu(result)).toBeGreaterThan(0)

    const json = await runCli(['get-conversation', adaBen, '--json', ...on(tableName)])
    expect(JSON.parse(json.stdout)).toEqual(oldestFirst)
    expect(consumedRcu(json)).toBe(consumedRcu(result))
  })

  it('a conversation with no messages prints none and succeeds', async () => {
    const result = await runCli(['get-conversation', '00000000-0000-4000-8000-000000000000', ...on(tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^0 messages in conversation/)
  })
})

describe('list-conversations (Pattern B)', () => {
  async function conversationsOf(userUuid: string): Promise<MessageGroup[]> {
    return (await messaging.listMessageGroups({ userUuid, limit: 100 })).items
  }

  it('by uuid: every conversation, newest first, with the other participant, and the read capacity', async () => {
    const expected = await conversationsOf(ada.uuid)
    expect(expected.length).toBeGreaterThanOrEqual(2)
    const result = await runCli(['list-conversations', ada.uuid, ...on(tableName)])
    expect(result.code).toBe(0)
    const rows = result.stdout.trimEnd().split('\n').slice(2)
    expect(rows).toHaveLength(expected.length)
    rows.forEach((row, i) => {
      const group = expected[i]!
      if (group.kind !== 'direct') throw new Error('the seed holds direct conversations only')
      expect(row).toMatch(new RegExp(`^${group.lastMessageAt}\\s+${group.otherUserHandle} \\(${group.otherUserDisplayName}\\)\\s+${group.unreadCount}\\s+${group.messageGroupUuid}\\s+`))
      expect(row).toContain(group.lastMessage)
    })
    expect(consumedRcu(result)).toBeGreaterThan(0)
    const json = await runCli(['list-conversations', ada.uuid, '--json', ...on(tableName)])
    expect(JSON.parse(json.stdout)).toEqual(expected)
  })

  it("by a seed user's handle: the same list, without a scan", async () => {
    const byUuid = await runCli(['list-conversations', ada.uuid, ...on(tableName)])
    const byHandle = await runCli(['list-conversations', '@ada', ...on(tableName)])
    expect(byHandle.code).toBe(0)
    expect(byHandle.stdout).toBe(byUuid.stdout)
    expect(byHandle.stderr).toContain(`of ada (${ada.uuid})`)
    expect(byHandle.stderr).not.toContain('handle scan')
  })

  it('by any other handle: found by scanning the conversation index, and the scan shows in the capacity', async () => {
    const zoe = user(`zoe-${Date.now().toString(36)}`)
    const yan = user('yan')
    await messaging.createMessageGroup({ sender: yan, recipient: zoe, message: 'Lunch at the new noodle place?' })
    const result = await runCli(['list-conversations', zoe.handle, ...on(tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('yan (Yan)')
    expect(result.stdout).toContain('Lunch at the new noodle place?')
    expect(result.stderr).toContain(`1 conversation of ${zoe.handle} (${zoe.uuid})`)
    expect(result.stderr).toMatch(/consumed capacity: [\d.]+ RCU \([\d.]+ RCU of it for the handle scan\)/)
  })

  it('shows the user\'s unread count of each conversation', async () => {
    const [kim, lou] = [user('kim'), user('lou')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: kim, recipient: lou, message: 'one' })
    await messaging.updateMessageGroups(await messaging.createMessage({ messageGroupUuid, sender: kim, message: 'two' }))
    const result = await runCli(['list-conversations', lou.uuid, ...on(tableName)])
    const [header, , row] = result.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^last message at\s+with\s+unread\s+message_group_uuid\s+last message$/)
    expect(row).toMatch(new RegExp(`kim \\(Kim\\)\\s+2\\s+${messageGroupUuid}\\s+two$`))
  })

  it('an unknown handle is an error, not an empty list', async () => {
    const result = await runCli(['list-conversations', 'nobody-here', ...on(tableName)])
    expect(result.code).toBe(1)
    expect(oneErrorLine(result)).toContain('names the handle "nobody-here"')
  })
})

describe('mark-read', () => {
  it('marks a conversation read up to a message or the newest, says what is left, and never moves back', async () => {
    const [kim, lou] = [user('kim'), user('lou')]
    const { messageGroupUuid, message: first } = await messaging.createMessageGroup({ sender: kim, recipient: lou, message: 'one' })
    const second = await messaging.createMessage({ messageGroupUuid, sender: kim, message: 'two' })
    await messaging.updateMessageGroups(second)

    const upToFirst = await runCli(['mark-read', lou.uuid, messageGroupUuid, '--up-to', first.sortKey, ...on(tableName)])
    expect(upToFirst.code).toBe(0)
    expect(upToFirst.stdout).toBe(`${lou.uuid} has read ${messageGroupUuid} up to ${first.createdAt}: 1 unread message left\n`)
    expect(upToFirst.stderr).toMatch(/^consumed capacity: [\d.]+ RCU, [\d.]+ WCU$/m)

    const all = await runCli(['mark-read', lou.uuid, messageGroupUuid, '--json', ...on(tableName)])
    expect(JSON.parse(all.stdout)).toEqual({
      messageGroupUuid,
      userUuid: lou.uuid,
      changed: true,
      unreadCount: 0,
      lastReadAt: second.createdAt,
      lastReadSortKey: second.sortKey
    })
    const again = await runCli(['mark-read', lou.uuid, messageGroupUuid, '--up-to', first.sortKey, ...on(tableName)])
    expect(again.stdout).toBe(`${lou.uuid} had already read ${messageGroupUuid} up to ${second.createdAt}: 0 unread messages left\n`)
    expect(again.stderr).not.toContain('WCU') // nothing written
    expect((await messaging.listMessageGroups({ userUuid: lou.uuid })).items[0]?.unreadCount).toBe(0)
  })

  it('takes a seed user by handle, and refuses a stranger with one error line, writing nothing', async () => {
    const result = await runCli(['mark-read', 'ben', adaBen, ...on(tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^ben (has|had already) read ${adaBen} up to .*: 0 unread messages left$`, 'm'))
    const before = await scanAll(client, tableName)
    const stranger = await runCli(['mark-read', user('zed').uuid, adaBen, ...on(tableName)])
    expect(stranger.code).toBe(1)
    expect(oneErrorLine(stranger)).toMatch(/takes part in no message group/)
    expect(await scanAll(client, tableName)).toEqual(before)
  })
})
