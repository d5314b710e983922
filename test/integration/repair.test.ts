// repairTable on the layout of this version, against DynamoDB Local: conversations written through the library, then
// damaged by direct writes as other code could (a row left behind, a count or marker wrong in place, a row deleted, a
// row of someone who is not a member); one conversation, one user, all of them; again; interrupted; while members
// change; while the stream handler runs.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll } from 'vitest'
import { repairTable, ValidationError, type RepairTableResult } from '../../src/admin/index.js'
import { createMessaging, tableDefinition, type Message, type MessagingClient } from '../../src/index.js'
import { startLocalStreamWorker } from '../../src/local/index.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { engineClient, user } from '../support/engine.js'
import { newestStored, snapshot } from '../support/invariants.js'
import { wireFaults, dieAfterWrites } from '../support/wireFaults.js'

const client = engineClient()
const doc = DynamoDBDocumentClient.from(client)
const wire = await wireFaults()
const { bootcamp } = bootcampTables('repair-bootcamp')
const tables: string[] = []
afterAll(async () => {
  for (const TableName of tables) await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined)
  client.destroy()
})

const fast = { retry: { baseDelayMs: 1 } }
type Item = Record<string, unknown>
type Person = ReturnType<typeof user>

/** A conversation of two written through the library, its rows brought to its newest message by Pattern D. */
interface Written {
  messageGroupUuid: string
  people: [Person, Person]
  messages: Message[]
}

/**
 * A fresh table with `count` conversations between fresh users: each starts, then alternates (a sends 3, b 2, a 1),
 * and Pattern D runs on its newest message, as the stream handler would. `healthy` is the table then.
 */
async function libraryTable(label: string, count: number) {
  const tableName = `repair-${label}-${randomUUID().slice(0, 8)}`
  tables.push(tableName)
  await client.send(new CreateTableCommand(tableDefinition({ tableName, billing: 'on-demand' })))
  const messaging = createMessaging({ client, tableName })
  const conversations: Written[] = []
  for (let i = 0; i < count; i++) {
    const people: [Person, Person] = [user(`a${i}`), user(`b${i}`)]
    const first = await messaging.createMessageGroup({ sender: people[0], recipient: people[1], message: `hello ${i}` })
    const messages = [first.message]
    for (const [from, text] of [[0, 'one'], [0, 'two'], [1, 'three'], [1, 'four'], [0, 'five']] as const) {
      messages.push(await messaging.createMessage({ messageGroupUuid: first.messageGroupUuid, sender: people[from], message: `${text} ${i}` }))
    }
    await messaging.updateMessageGroups(messages.at(-1)!)
    conversations.push({ messageGroupUuid: first.messageGroupUuid, people, messages })
  }
  return { tableName, messaging, conversations, healthy: await snapshot(client, tableName) }
}

const rowOf = (items: readonly Item[], owner: Person, c: Written) => items.find((item) => item.pk === `GRP#${owner.uuid}` && item.sk === `MSG#${c.messageGroupUuid}`)
/** Every item, rows without their revision (repair writes a row again: its `rev` goes up). */
const withoutRev = (items: readonly Item[]) => items.map(({ rev: _rev, ...rest }) => rest)
const update = (tableName: string, key: Item, set: string, values: Item) =>
  doc.send(new UpdateCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, UpdateExpression: set, ExpressionAttributeValues: values }))
const NONE: RepairTableResult['rows'] = { moved: 0, corrected: 0, recreated: 0, removed: 0 }

describe('repair --conversation', async () => {
  const { tableName, conversations, healthy } = await libraryTable('one', 6)
  const [behind, counted, marked, deleted, previewed, fine] = conversations as [Written, Written, Written, Written, Written, Written]
  // The damage other code could do, each to one conversation.
  const b = rowOf(healthy, behind.people[1], behind)!
  await update(tableName, b, 'SET last_sk = :sk, message = :text', { ':sk': behind.messages[2]!.sortKey, ':text': behind.messages[2]!.message })
  await update(tableName, rowOf(healthy, counted.people[1], counted)!, 'SET unread_count = :n, unread_owner_uuid = :o', { ':n': 7, ':o': counted.people[1].uuid })
  await update(tableName, rowOf(healthy, marked.people[0], marked)!, 'SET unread_count = :n, unread_owner_uuid = :o', { ':n': 3, ':o': marked.people[0].uuid })
  await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `GRP#${deleted.people[1].uuid}`, sk: `MSG#${deleted.messageGroupUuid}` } }))
  await update(tableName, rowOf(healthy, previewed.people[0], previewed)!, 'SET message = :text', { ':text': 'not what was said' })
  const damaged = await snapshot(client, tableName)

  const repair = (c: Written, dryRun = false) => repairTable({ client, tableName, scope: { messageGroupUuid: c.messageGroupUuid }, dryRun, ...fast })
  const cases = [
    ['a row left on an older message is moved', behind, { ...NONE, moved: 1 }, [behind.people[1]]],
    ['a wrong count is recounted in place', counted, { ...NONE, corrected: 1 }, [counted.people[1]]],
    ['a count on a row read to its end is recounted to 0', marked, { ...NONE, corrected: 1 }, [marked.people[0]]],
    ['a deleted row is rebuilt for its member', deleted, { ...NONE, recreated: 1 }, [deleted.people[1]]]
  ] as const

  it.each(cases)('%s, the dry run saying so first and writing nothing; nothing else changes', async (_label, c, rows, owners) => {
    const before = await snapshot(client, tableName)
    const dry = await repair(c, true)
    expect(await snapshot(client, tableName)).toEqual(before)
    const result = await repair(c)
    expect({ ...dry, dryRun: false }).toEqual(result)
    expect(result).toMatchObject({ conversations: 1, rows, failed: [], notAdopted: [], withoutMessages: [] })
    expect(result.changed).toEqual({ messageGroupUuids: [c.messageGroupUuid], userUuids: owners.map((p) => p.uuid) })
    const after = await snapshot(client, tableName)
    const mine = (item: Item) => item.sk === `MSG#${c.messageGroupUuid}` || item.pk === `MSG#${c.messageGroupUuid}`
    expect(after.filter((item) => !mine(item))).toEqual(before.filter((item) => !mine(item)))
    if (c === deleted) {
      // What its owner had read went with the row: it comes back read up to the newest message.
      const newest = c.messages.at(-1)!
      expect(rowOf(after, c.people[1], c)).toEqual({
        pk: `GRP#${c.people[1].uuid}`,
        sk: `MSG#${c.messageGroupUuid}`,
        last_sk: newest.sortKey,
        message: newest.message,
        user_uuid: c.people[0].uuid,
        user_display_name: c.people[0].displayName,
        user_handle: c.people[0].handle,
        sender_uuid: newest.userUuid,
        sender_display_name: newest.displayName,
        sender_handle: newest.handle,
        last_read_sk: newest.sortKey,
        unread_count: 0,
        rev: 1
      })
    } else {
      expect(withoutRev(after.filter(mine))).toEqual(withoutRev(healthy.filter(mine)))
    }
    expect(await repair(c)).toMatchObject({ rows: NONE, changed: { messageGroupUuids: [], userUuids: [] } })
  })

  it('a row already at the newest message keeps its preview (only a newer message replaces it); a healthy one is left alone', async () => {
    for (const c of [previewed, fine]) {
      const before = await snapshot(client, tableName)
      expect(await repair(c)).toMatchObject({ conversations: 1, rows: NONE, changed: { messageGroupUuids: [], userUuids: [] } })
      expect(await snapshot(client, tableName)).toEqual(before)
    }
    expect(damaged.length).toBeGreaterThan(0)
  })

  it('a conversation the table holds nothing of counts as none, and nothing is written; bad input is a ValidationError', async () => {
    const before = await snapshot(client, tableName)
    const result = await repairTable({ client, tableName, scope: { messageGroupUuid: randomUUID() }, ...fast })
    expect(result).toMatchObject({ conversations: 0, rows: NONE, failed: [] })
    for (const scope of [{ messageGroupUuid: 'not-a-uuid' }, { userUuid: 7 }, 'everything', { messageGroupUuid: randomUUID(), userUuid: randomUUID() }]) {
      await expect(repairTable({ client, tableName, scope: scope as never })).rejects.toBeInstanceOf(ValidationError)
    }
    await expect(repairTable({ client, tableName, scope: 'all', concurrency: 0 })).rejects.toBeInstanceOf(ValidationError)
    expect(await snapshot(client, tableName)).toEqual(before)
  })
})

describe('rows and memberships', async () => {
  const { tableName, conversations, healthy } = await libraryTable('members', 3)
  const [withStranger, leaver, lost] = conversations as [Written, Written, Written]
  const stranger = user('stranger')
  // A row for someone who never was a member; a member whose membership item was deleted (their row stays behind);
  // a member whose row was deleted.
  const strangerRow = { ...rowOf(healthy, withStranger.people[0], withStranger)!, pk: `GRP#${stranger.uuid}` }
  await doc.send(new PutCommand({ TableName: tableName, Item: strangerRow }))
  await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `MSG#${leaver.messageGroupUuid}`, sk: `#MEMBER#${leaver.people[1].uuid}` } }))
  await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `GRP#${lost.people[0].uuid}`, sk: `MSG#${lost.messageGroupUuid}` } }))

  it('--user finds the conversation whose row of theirs was deleted, through the other row that names them, and rebuilds it', async () => {
    const result = await repairTable({ client, tableName, scope: { userUuid: lost.people[0].uuid }, ...fast })
    expect(result).toMatchObject({ conversations: 1, rows: { ...NONE, recreated: 1 }, changed: { userUuids: [lost.people[0].uuid] } })
    expect(rowOf(await snapshot(client, tableName), lost.people[0], lost)).toMatchObject({ last_sk: lost.messages.at(-1)!.sortKey, unread_count: 0 })
  })

  it('--user of someone who is not a member deletes their row; --all deletes the row of a member who left', async () => {
    const user = await repairTable({ client, tableName, scope: { userUuid: stranger.uuid }, ...fast })
    expect(user).toMatchObject({ conversations: 1, rows: { ...NONE, removed: 1 }, changed: { userUuids: [stranger.uuid] } })
    const all = await repairTable({ client, tableName, scope: 'all', ...fast })
    expect(all).toMatchObject({ conversations: 3, rows: { ...NONE, removed: 1 }, changed: { messageGroupUuids: [leaver.messageGroupUuid], userUuids: [leaver.people[1].uuid] } })
    const items = await snapshot(client, tableName)
    expect(items.filter((item) => item.pk === `GRP#${stranger.uuid}` || item.pk === `GRP#${leaver.people[1].uuid}`)).toEqual([])
    // The member who left gets no row back, however often it runs.
    expect((await repairTable({ client, tableName, scope: 'all', ...fast })).rows).toEqual(NONE)
    expect(await snapshot(client, tableName)).toEqual(items)
  })

  it('never gives a row back to a member removed while it was being rebuilt (the transaction checks the membership)', async () => {
    const c = conversations[0]!
    const owner = c.people[1]
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `GRP#${owner.uuid}`, sk: `MSG#${c.messageGroupUuid}` } }))
    let removed: Promise<unknown> | undefined
    wire.proxy.setRules([
      {
        fault: 'latency',
        latencyMs: 300,
        operations: ['TransactWriteItems'],
        times: 1,
        match: () => {
          removed = doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `MSG#${c.messageGroupUuid}`, sk: `#MEMBER#${owner.uuid}` } }))
          return true
        }
      }
    ])
    const result = await repairTable({ client: wire.client, tableName, scope: { messageGroupUuid: c.messageGroupUuid }, ...fast })
    await removed
    expect(removed).toBeDefined()
    expect(result).toMatchObject({ rows: NONE, failed: [] })
    expect(rowOf(await snapshot(client, tableName), owner, c)).toBeUndefined()
  })
})

describe('repair --all', async () => {
  const damage = async (label: string) => {
    const made = await libraryTable(label, 4)
    const [a, b, c] = made.conversations as [Written, Written, Written]
    await update(made.tableName, rowOf(made.healthy, a.people[1], a)!, 'SET last_sk = :sk, message = :text', { ':sk': a.messages[1]!.sortKey, ':text': a.messages[1]!.message })
    await update(made.tableName, rowOf(made.healthy, b.people[1], b)!, 'SET unread_count = :n, unread_owner_uuid = :o', { ':n': 9, ':o': b.people[1].uuid })
    await doc.send(new DeleteCommand({ TableName: made.tableName, Key: { pk: `GRP#${c.people[0].uuid}`, sk: `MSG#${c.messageGroupUuid}` } }))
    return made
  }
  const reference = await damage('all')
  const first = await repairTable({ client, tableName: reference.tableName, scope: 'all', ...fast })
  const repaired = await snapshot(client, reference.tableName)

  it('repairs every conversation and reports what changed', () => {
    expect(first).toMatchObject({ conversations: 4, failed: [], notAdopted: [], withoutMessages: [], rows: { moved: 1, corrected: 1, recreated: 1, removed: 0 } })
    expect(first.changed.messageGroupUuids).toHaveLength(3)
  })

  it('a second run writes nothing', async () => {
    const again = await repairTable({ client, tableName: reference.tableName, scope: 'all', ...fast })
    expect(await snapshot(client, reference.tableName)).toEqual(repaired)
    expect(again).toMatchObject({ rows: NONE, changed: { messageGroupUuids: [], userUuids: [] } })
  })

  it('a dry run writes nothing and predicts the real run', async () => {
    const { tableName } = await damage('dry')
    const before = await snapshot(client, tableName)
    const dry = await repairTable({ client, tableName, scope: 'all', dryRun: true, ...fast })
    expect(await snapshot(client, tableName)).toEqual(before)
    const real = await repairTable({ client, tableName, scope: 'all', ...fast })
    expect({ ...dry, dryRun: false, changed: {} }).toEqual({ ...real, changed: {} })
    expect(dry.changed.userUuids).toEqual(real.changed.userUuids)
  })

  it.each([1, 2])('stopped after %i writes and run again, ends as an uninterrupted run', async (writes) => {
    const made = await damage(`cut${writes}`)
    const death = dieAfterWrites(writes, /Update|Put|Delete|TransactWrite/)
    wire.proxy.setRules([death.rule])
    const cut: RepairTableResult | unknown = await repairTable({ client: wire.client, tableName: made.tableName, scope: 'all', concurrency: 1, ...fast }).catch((e: unknown) => e)
    expect(death.written()).toBe(writes)
    if (!(cut instanceof Error)) expect((cut as RepairTableResult).failed.length).toBeGreaterThan(0)
    await repairTable({ client, tableName: made.tableName, scope: 'all', ...fast })
    const after = await snapshot(client, made.tableName)
    // Fresh users, so compare shapes: every row at its newest message with the reference's counts and markers.
    const shape = (items: Item[], c: Written) =>
      c.people.map((p) => {
        const row = rowOf(items, p, c)!
        return [row.last_sk === c.messages.at(-1)!.sortKey, row.unread_count, row.last_read_sk === undefined]
      })
    made.conversations.forEach((c, i) => expect(shape(after, c)).toEqual(shape(repaired, reference.conversations[i]!)))
  })

  it('on a table not adopted yet, writes nothing and names the conversations adopt must migrate', async () => {
    const table = await bootcamp('not-adopted')
    const before = await snapshot(client, table.tableName)
    const result = await repairTable({ client, tableName: table.tableName, scope: 'all', ...fast })
    expect(result).toMatchObject({ rows: NONE, failed: [], changed: { messageGroupUuids: [], userUuids: [] } })
    expect(result.notAdopted).toEqual(table.conversations.map((c) => c.messageGroupUuid).sort())
    expect(await snapshot(client, table.tableName)).toEqual(before)
  })
})

describe('repair while the stream handler runs', () => {
  it('with new messages arriving during the repair: every row ends at its newest message with an exact count', async () => {
    const { tableName, conversations } = await libraryTable('concurrent', 4)
    const messaging: MessagingClient = createMessaging({ client, tableName })
    for (const c of conversations) await update(tableName, { pk: `GRP#${c.people[1].uuid}`, sk: `MSG#${c.messageGroupUuid}` }, 'SET unread_count = :n', { ':n': 42 })
    const errors: unknown[] = []
    const worker = await startLocalStreamWorker({ client, tableName, startingPosition: 'LATEST', pollIntervalMs: 20, onError: (e) => errors.push(e) })
    try {
      let repairing = true
      let sentDuringRepair = 0
      const traffic = (async () => {
        for (let i = 0; i < 5; i++) {
          for (const c of conversations) {
            await messaging.createMessage({ messageGroupUuid: c.messageGroupUuid, sender: c.people[i % 2]!, message: `during repair ${i}` })
            if (repairing) sentDuringRepair++
          }
          await new Promise((resolve) => setTimeout(resolve, 30))
        }
      })()
      const repair = repairTable({ client, tableName, scope: 'all', concurrency: 2, ...fast }).finally(() => {
        repairing = false
      })
      const [result] = await Promise.all([repair, traffic])
      expect(result.failed).toEqual([])
      expect(sentDuringRepair).toBeGreaterThan(0)
      await worker.drain(30_000)
      expect(errors).toEqual([])
      const items = await snapshot(client, tableName)
      for (const c of conversations) {
        const newest = await newestStored(client, tableName, c.messageGroupUuid)
        expect(newest.text).toBe('during repair 4')
        const messages = items.filter((item) => item.pk === `MSG#${c.messageGroupUuid}` && !String(item.sk).startsWith('#'))
        for (const p of c.people) {
          const row = rowOf(items, p, c)!
          expect(row).toMatchObject({ last_sk: newest.sk, message: newest.text })
          const unread = messages.filter((m) => m.user_uuid !== p.uuid && String(m.sk) > String(row.last_read_sk ?? '')).length
          expect(row.unread_count, `${p.handle} in ${c.messageGroupUuid}`).toBe(unread)
        }
      }
    } finally {
      await worker.stop()
    }
  })
})
