import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMessaging, type Message, type MessagingClient } from '../../src/index.js'
import { SAMPLE_USERS } from '../../src/local/sampleUsers.js'
import { createTestTable, dropTestTable, engineClient, scanAll } from '../support/engine.js'
import { CLI, cleanEnv, on, runCli } from './runCli.js'

let client: DynamoDBClient
let tableName: string
let messaging: MessagingClient

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'cli-seed')
  messaging = createMessaging({ client, tableName })
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

async function allMessages(messageGroupUuid: string): Promise<Message[]> {
  const messages: Message[] = []
  let cursor: string | undefined
  do {
    const page = await messaging.listMessages({ messageGroupUuid, limit: 100, ...(cursor && { cursor }) })
    messages.push(...page.items)
    cursor = page.cursor
  } while (cursor)
  return messages // newest first
}

/** Every seed user's conversations, each checked against its newest message (Patterns A and B through the library). */
async function expectRowsAgreeWithLastMessages(): Promise<Map<string, Message[]>> {
  const conversations = new Map<string, Message[]>()
  for (const user of Object.values(SAMPLE_USERS)) {
    const { items: groups, cursor } = await messaging.listMessageGroups({ userUuid: user.uuid, limit: 100 })
    expect(cursor).toBeUndefined()
    for (const group of groups) {
      const messages = conversations.get(group.messageGroupUuid) ?? (await allMessages(group.messageGroupUuid))
      conversations.set(group.messageGroupUuid, messages)
      const newest = messages[0]!
      expect({ sortKey: group.sortKey, lastMessage: group.lastMessage }).toEqual({ sortKey: newest.sortKey, lastMessage: newest.message })
      // The row describes the other participant (the seed holds direct conversations only).
      if (group.kind !== 'direct') throw new Error(`${group.messageGroupUuid} is a ${group.kind} conversation`)
      expect(group.otherUserUuid).not.toBe(user.uuid)
      expect(messages.some((message) => message.userUuid === group.otherUserUuid)).toBe(true)
    }
  }
  return conversations
}

const countMessages = async () =>
  (await scanAll(client, tableName)).filter((item) => String(item.pk).startsWith('MSG#') && item.sk !== '#MEMBERS').length

describe('seed', () => {
  it('writes conversations between the seed users in the past; each conversation row agrees with its last message', async () => {
    const startedAt = Date.now()
    const result = await runCli(['seed', ...on(tableName)])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)

    const conversations = await expectRowsAgreeWithLastMessages()
    expect(conversations.size).toBeGreaterThanOrEqual(3)
    for (const [messageGroupUuid, messages] of conversations) {
      expect(messages.length).toBeGreaterThanOrEqual(3)
      expect(messages.length).toBeLessThanOrEqual(6)
      expect(messages.every((message) => Date.parse(message.createdAt) < startedAt)).toBe(true)
      expect(new Set(messages.map((message) => message.userUuid)).size).toBe(2)
      const participants = await messaging.getParticipants(messageGroupUuid)
      expect(participants).toHaveLength(2)
      expect(result.stdout).toContain(messageGroupUuid)
    }
    // Every seed user takes part, and each conversation shows in both participants' lists.
    for (const user of Object.values(SAMPLE_USERS)) {
      expect((await messaging.listMessageGroups({ userUuid: user.uuid })).items.length).toBeGreaterThan(0)
    }
  })

  it('run again, skips the conversations it finds and writes nothing', async () => {
    const before = await scanAll(client, tableName)
    const result = await runCli(['seed', ...on(tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/already there, skipped/)
    expect(await scanAll(client, tableName)).toEqual(before)
  })

  it('--messages 300 stores all 300 as library message rows, moves the rows to the newest, and prints a summary', async () => {
    const before = await countMessages()
    const result = await runCli(['seed', '--messages', '300', ...on(tableName)])
    expect(result.code).toBe(0)
    // Not a TTY: no progress bar, one summary line.
    expect(result.stderr).toBe('')
    const summary = result.stdout.split('\n').filter((line) => line.startsWith('wrote '))
    expect(summary).toEqual([expect.stringMatching(/^wrote 300 messages over 4 conversations with BatchWriteItem \(12 requests, 0 retries\) in [\d.]+ s; brought 8 conversation rows to the newest message$/)])
    expect(await countMessages()).toBe(before + 300)

    const conversations = await expectRowsAgreeWithLastMessages()
    const bulk = [...conversations.values()].flat().filter((message) => message.message.startsWith('Bulk message'))
    expect(bulk).toHaveLength(300)
    expect(new Set(bulk.map((message) => message.uuid)).size).toBe(300)
    for (const messages of conversations.values()) {
      expect(messages[0]!.message).toMatch(/^Bulk message/) // the bulk messages are the newest
      expect(messages.filter((message) => message.message.startsWith('Bulk')).length).toBe(75)
      expect(messages.every((message) => Date.parse(message.createdAt) < Date.now())).toBe(true)
    }
    // Stored exactly as the library stores a message: no extra or missing attributes.
    const items = await scanAll(client, tableName)
    const row = items.find((item) => String(item.message).startsWith('Bulk message'))!
    expect(Object.keys(row).sort()).toEqual(['message', 'message_uuid', 'pk', 'sk', 'user_display_name', 'user_handle', 'user_uuid'])
  })

  const hasScript = spawnSync('script', ['--version']).status === 0
  it.skipIf(!hasScript)('shows a progress bar on a terminal', () => {
    const command = `"${process.execPath}" "${CLI}" seed --messages 50 ${on(tableName).join(' ')}`
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { env: cleanEnv(), encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/writing messages \[[█░]+\] 50\/50/)
    expect(run.stdout).toContain('wrote 50 messages')
  })
})
