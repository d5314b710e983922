// repairTable on a bootcamp table (test/support/bootcampTable.ts), against DynamoDB Local: one conversation, one user,
// all of them; again; interrupted; and while the stream handler moves rows for new messages.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { monotonicFactory } from 'ulid'
import { repairTable, type RepairTableResult } from '../../src/admin/index.js'
import { messageSk } from '../../src/index.js'
import { startLocalStreamWorker } from '../../src/local/index.js'
import type { BootcampConversation, BootcampTable } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { dieAfterWrites, wireFaults } from '../support/wireFaults.js'
import { newestStored, rowViolations, snapshot, violations } from '../support/invariants.js'

const { client, bootcamp: make } = bootcampTables('repair')
const wire = await wireFaults()
const bootcamp = (label: string, seed = 3) => make(label, { seed })

const fast = { retry: { baseDelayMs: 1 } }
const byDamage = (table: BootcampTable, damage: BootcampConversation['damage']) => table.conversations.find((c) => c.damage === damage)!
const outside = (items: Array<Record<string, unknown>>, c: BootcampConversation) =>
  items.filter((item) => item.pk !== `MSG#${c.messageGroupUuid}` && item.message_group_uuid !== c.messageGroupUuid)

describe('repair --conversation', async () => {
  const table = await bootcamp('one')

  it.each(['seed', 'duplicate', 'behind', 'lost', 'lost-both', 'none'] as const)(
    'brings a conversation with damage "%s" to its newest message and touches nothing else',
    async (damage) => {
      const conversation = byDamage(table, damage)
      const before = await snapshot(client, table.tableName)
      const result = await repairTable({ client, tableName: table.tableName, scope: { messageGroupUuid: conversation.messageGroupUuid }, ...fast })
      const after = await snapshot(client, table.tableName)
      expect(violations(after, [conversation], { members: false })).toEqual([])
      expect(outside(after, conversation)).toEqual(outside(before, conversation))
      expect(result.conversations).toBe(1)
      expect(result.failed).toEqual([])
      // Repair names participants but writes no members item: that is adopt's step.
      expect(after.some((item) => item.pk === `MSG#${conversation.messageGroupUuid}` && item.sk === '#MEMBERS')).toBe(false)
      const expectedRows = { seed: [2, 0, 0], duplicate: [0, 1, 0], behind: [1, 0, 0], lost: [0, 0, 1], 'lost-both': [0, 0, 2], none: [0, 0, 0] }[damage]
      expect([result.rows.moved, result.rows.removed, result.rows.recreated]).toEqual(expectedRows)
      const changedUsers = damage === 'none' ? [] : conversation.participants.map((p) => p.uuid).sort()
      expect(result.changed).toEqual({ messageGroupUuids: damage === 'none' ? [] : [conversation.messageGroupUuid], userUuids: changedUsers })
    }
  )
})

describe('repair --user', async () => {
  const table = await bootcamp('user')

  it("finds the user's conversations, also one whose row of theirs was lost (through the other's row)", async () => {
    const lost = byDamage(table, 'lost')
    // The row lost is the last sender's; the other participant's row still describes them.
    const owner = lost.messages[lost.messages.length - 1]!.sender
    const theirs = table.conversations.filter((c) => c.participants.some((p) => p.uuid === owner.uuid))
    const before = await snapshot(client, table.tableName)
    expect(before.some((item) => item.pk === `GRP#${owner.uuid}` && item.message_group_uuid === lost.messageGroupUuid)).toBe(false)

    const result = await repairTable({ client, tableName: table.tableName, scope: { userUuid: owner.uuid }, ...fast })
    const after = await snapshot(client, table.tableName)
    expect(result.conversations).toBe(theirs.length)
    expect(violations(after, theirs, { members: false })).toEqual([])
    // Everything outside their conversations is as it was (the conversation that lost both rows is found only by --all).
    expect(after.filter((item) => !theirs.some((c) => item.pk === `MSG#${c.messageGroupUuid}` || item.message_group_uuid === c.messageGroupUuid))).toEqual(
      before.filter((item) => !theirs.some((c) => item.pk === `MSG#${c.messageGroupUuid}` || item.message_group_uuid === c.messageGroupUuid))
    )
    expect(result.changed.userUuids).toContain(owner.uuid)
  })
})

describe('repair --all', async () => {
  const reference = await bootcamp('all', 11)
  const first = await repairTable({ client, tableName: reference.tableName, scope: 'all', ...fast })
  const repaired = await snapshot(client, reference.tableName)

  it('repairs every conversation, those that lost both rows included, and reports what changed', () => {
    expect(violations(repaired, reference.conversations, { members: false })).toEqual([])
    expect(first).toMatchObject({ conversations: reference.conversations.length, failed: [], unresolved: [], lost: [], withoutMessages: [] })
    expect(first.rows).toEqual({ moved: 3, removed: 1, recreated: 3, corrected: 0 })
  })

  it('a second run writes nothing', async () => {
    const again = await repairTable({ client, tableName: reference.tableName, scope: 'all', ...fast })
    expect(await snapshot(client, reference.tableName)).toEqual(repaired)
    expect(again.rows).toEqual({ moved: 0, removed: 0, recreated: 0, corrected: 0 })
    expect(again.changed).toEqual({ messageGroupUuids: [], userUuids: [] })
  })

  it('a dry run writes nothing and predicts the real run', async () => {
    const table = await bootcamp('dry', 11)
    const before = await snapshot(client, table.tableName)
    const dry = await repairTable({ client, tableName: table.tableName, scope: 'all', dryRun: true, ...fast })
    expect(await snapshot(client, table.tableName)).toEqual(before)
    expect({ ...dry, dryRun: false }).toEqual(first)
  })

  it.each([1, 4])('stopped after %i writes and run again, ends as an uninterrupted run', async (writes) => {
    const table = await bootcamp(`cut${writes}`, 11)
    // Once `writes` writes went through, every request fails with a 500 on the wire, as if the process died there.
    const death = dieAfterWrites(writes, /Put|Delete|TransactWrite/)
    wire.proxy.setRules([death.rule])
    const cut: RepairTableResult | unknown = await repairTable({ client: wire.client, tableName: table.tableName, scope: 'all', ...fast }).catch((e: unknown) => e)
    expect(death.written()).toBe(writes)
    if (!(cut instanceof Error)) expect((cut as RepairTableResult).failed.length).toBeGreaterThan(0)
    await repairTable({ client, tableName: table.tableName, scope: 'all', ...fast })
    expect(await snapshot(client, table.tableName)).toEqual(repaired)
  })
})

describe('repair while the stream handler runs', () => {
  it('with new messages arriving during the repair: no row lost, doubled or left behind', async () => {
    const table = await bootcamp('concurrent', 5)
    await client.send(new UpdateTableCommand({ TableName: table.tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }))
    const errors: unknown[] = []
    const worker = await startLocalStreamWorker({ client, tableName: table.tableName, startingPosition: 'LATEST', pollIntervalMs: 20, onError: (e) => errors.push(e) })
    try {
      // Other code keeps writing messages (the bootcamp app, say): plain puts, newer than anything stored.
      const doc = DynamoDBDocumentClient.from(client)
      const ulid = monotonicFactory()
      let at = Date.UTC(2030, 0, 1)
      const send = async (conversation: BootcampConversation, i: number) => {
        const sender = conversation.participants[i % 2]!
        const time = (at += 1000)
        await doc.send(
          new PutCommand({
            TableName: table.tableName,
            Item: {
              pk: `MSG#${conversation.messageGroupUuid}`,
              sk: messageSk(new Date(time), ulid(time)),
              message_uuid: randomUUID(),
              message: `during repair ${i}`,
              user_uuid: sender.uuid,
              user_display_name: sender.displayName,
              user_handle: sender.handle
            },
            ConditionExpression: 'attribute_not_exists(pk)'
          })
        )
      }
      let repairing = true
      let sentDuringRepair = 0
      const traffic = (async () => {
        for (let i = 0; i < 6; i++) {
          for (const conversation of table.conversations) {
            await send(conversation, i)
            if (repairing) sentDuringRepair++
          }
          await new Promise((resolve) => setTimeout(resolve, 40))
        }
      })()
      const repair = repairTable({ client, tableName: table.tableName, scope: 'all', concurrency: 3, ...fast }).finally(() => {
        repairing = false
      })
      const [result] = await Promise.all([repair, traffic])
      expect(result.failed).toEqual([])
      expect(sentDuringRepair).toBeGreaterThan(table.conversations.length)
      // Everything written so far handled (records of a conversation with no row left fail until the repair rebuilt them).
      await worker.drain(30_000)
      // Once more after the handler caught up: the repair's own view may be older than the last messages.
      const items = await snapshot(client, table.tableName)
      for (const conversation of table.conversations) {
        const newest = await newestStored(client, table.tableName, conversation.messageGroupUuid)
        expect(newest.text).toBe('during repair 5')
        expect(rowViolations(items, conversation, newest)).toEqual([])
      }
    } finally {
      await worker.stop()
    }
  })
})
