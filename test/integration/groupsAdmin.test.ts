import { describe, expect, it } from 'vitest'
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { adoptTable, repairTable } from '../../src/admin/index.js'
import {
  CONVERSATION_SK,
  createMessaging,
  createStreamHandler,
  memberSk,
  messageGroupUuidFor,
  messagePk,
  rowKey,
  type Message
} from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { snapshot } from '../support/invariants.js'
import { rowOf } from '../support/layout.js'
import { insertRecordOf } from '../support/streamRecords.js'

// adopt and repair on a table holding groups: adopt leaves them as they are (and links no pair to a group of two);
// repair gives a group member back a missing row, as a group's row, and deletes a row whose owner is not a member.
const { client, tableName } = await testTable('groups-admin')
const documents = DynamoDBDocumentClient.from(client)
const messaging = createMessaging({ client, tableName })
const handler = createStreamHandler({ client, tableName, baseDelayMs: 1 })
let sequence = 1
const stream = (...messages: Message[]) => handler({ Records: messages.map((message) => insertRecordOf(message, sequence++)) })
const maintenance = { client, tableName, waitTimeoutMs: 10_000, pollIntervalMs: 10 }

describe('adopt', () => {
  it('leaves groups as they are, and links no pair to a group of two', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const pairOfTwo = await messaging.createGroup({ creator: ada, members: [ben], title: 'Two of us', message: 'hello' })
    const three = await messaging.createGroup({ creator: ada, members: [ben, cleo], title: 'Three', message: 'hi all' })
    const quiet = await messaging.createGroup({ creator: cleo, members: [ada], title: 'Quiet' })
    await stream(await messaging.createMessage({ messageGroupUuid: three.messageGroupUuid, sender: cleo, message: 'hey' }))
    // A group all of whose members left: messages, no members.
    const empty = await messaging.createGroup({ creator: ben, members: [cleo], title: 'Gone', message: 'bye' })
    await messaging.removeMember({ messageGroupUuid: empty.messageGroupUuid, by: cleo.uuid, userUuid: cleo.uuid })
    await messaging.removeMember({ messageGroupUuid: empty.messageGroupUuid, by: ben.uuid, userUuid: ben.uuid })
    const before = await snapshot(client, tableName)

    const result = await adoptTable(maintenance)
    expect(result).toMatchObject({ migrated: 0, unresolved: [], failed: [], written: { conversations: 0, memberships: 0, rows: 0 } })
    expect(result.pairs.linked).toBe(0)
    expect(await snapshot(client, tableName)).toEqual(before)
    const slot = await documents.send(new GetCommand({ TableName: tableName, Key: { pk: messagePk(messageGroupUuidFor(ada.uuid, ben.uuid)), sk: CONVERSATION_SK } }))
    expect(slot.Item).toBeUndefined()
    // A direct conversation of the same two still starts on its own, not in their group.
    const direct = await messaging.createMessageGroup({ sender: ada, recipient: ben, message: 'just us' })
    expect(direct.messageGroupUuid).not.toBe(pairOfTwo.messageGroupUuid)
    expect([quiet.messageGroupUuid, three.messageGroupUuid]).not.toContain(direct.messageGroupUuid)
  })
})

describe('repair', () => {
  it("gives a group member back a missing row: a group's row at the newest message, read up to it", async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid, message } = await messaging.createGroup({ creator: ada, members: [ben, cleo], title: 'Fix me', message: 'one' })
    const two = await messaging.createMessage({ messageGroupUuid, sender: cleo, message: 'two' })
    await stream(message!, two)
    const kept = await rowOf(client, tableName, ada.uuid, messageGroupUuid)
    await documents.send(new DeleteCommand({ TableName: tableName, Key: rowKey(ben.uuid, messageGroupUuid) }))

    const result = await repairTable({ ...maintenance, scope: { messageGroupUuid } })
    expect(result.rows).toEqual({ moved: 0, corrected: 0, recreated: 1, removed: 0 })
    expect(await rowOf(client, tableName, ben.uuid, messageGroupUuid)).toEqual({
      ...rowKey(ben.uuid, messageGroupUuid),
      kind: 'group',
      last_sk: two.sortKey,
      message: 'two',
      sender_uuid: cleo.uuid,
      sender_display_name: 'Cleo',
      sender_handle: 'cleo',
      last_read_sk: two.sortKey,
      unread_count: 0,
      rev: 1
    })
    expect(await rowOf(client, tableName, ada.uuid, messageGroupUuid)).toEqual(kept)
    const listed = (await messaging.listMessageGroups({ userUuid: ben.uuid })).items.find((item) => item.messageGroupUuid === messageGroupUuid)
    expect(listed).toMatchObject({ kind: 'group', title: 'Fix me', memberCount: 3, lastMessage: 'two' })
    // Run again: nothing to do.
    expect((await repairTable({ ...maintenance, scope: { messageGroupUuid } })).rows).toEqual({ moved: 0, corrected: 0, recreated: 0, removed: 0 })
  })

  it('gives the rows of a group with no message yet back at its creation', async () => {
    const [ada, ben] = [user('ada'), user('ben')]
    const { messageGroupUuid } = await messaging.createGroup({ creator: ada, members: [ben], title: 'Silent' })
    const before = await rowOf(client, tableName, ben.uuid, messageGroupUuid)
    await documents.send(new DeleteCommand({ TableName: tableName, Key: rowKey(ben.uuid, messageGroupUuid) }))
    const result = await repairTable({ ...maintenance, scope: { messageGroupUuid } })
    expect(result.failed).toEqual([])
    expect(result.rows.recreated).toBe(1)
    expect(await rowOf(client, tableName, ben.uuid, messageGroupUuid)).toEqual(before)
  })

  it('deletes a row whose owner is not a member of the group, and only that', async () => {
    const [ada, ben, cleo] = [user('ada'), user('ben'), user('cleo')]
    const { messageGroupUuid, message } = await messaging.createGroup({ creator: ada, members: [ben, cleo], title: 'Orphan', message: 'one' })
    await stream(message!)
    // Other code removed cleo's membership item and left her row.
    await documents.send(new DeleteCommand({ TableName: tableName, Key: { pk: messagePk(messageGroupUuid), sk: memberSk(cleo.uuid) } }))
    // And wrote a row for someone who never was a member.
    const stranger = user('stranger')
    const planted = { ...(await rowOf(client, tableName, ben.uuid, messageGroupUuid))!, ...rowKey(stranger.uuid, messageGroupUuid) }
    await documents.send(new PutCommand({ TableName: tableName, Item: planted }))

    const result = await repairTable({ ...maintenance, scope: 'all' })
    expect(result.failed).toEqual([])
    expect(await rowOf(client, tableName, cleo.uuid, messageGroupUuid)).toBeUndefined()
    expect(await rowOf(client, tableName, stranger.uuid, messageGroupUuid)).toBeUndefined()
    expect(await rowOf(client, tableName, ben.uuid, messageGroupUuid)).toMatchObject({ kind: 'group', unread_count: 1 })
    expect(result.changed.userUuids).toEqual(expect.arrayContaining([cleo.uuid, stranger.uuid]))
    expect((await messaging.listMessageGroups({ userUuid: cleo.uuid })).items.map((item) => item.messageGroupUuid)).not.toContain(messageGroupUuid)
  })
})
