import { describe, expect, it } from 'vitest'
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { CONVERSATION_SK, createMessaging, createStreamHandler, memberSk, messagePk, rowKey, type Message } from '../../src/index.js'
import { verifyItems } from '../../bench/load/verify.js'
import type { Conversation, Send } from '../../bench/load/workload.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { insertRecordOf } from '../support/streamRecords.js'

// The load harness's verdict is only worth something if it sees damage: each kind it claims to find, made on a real
// table the library wrote, must be reported (and a clean table must not be).
const { client, tableName } = await testTable('load-verify')
const document = DynamoDBDocumentClient.from(client)
const messaging = createMessaging({ client, tableName })
const handler = createStreamHandler({ client, tableName })

let sequence = 1
type Direct = Extract<Conversation, { participants: [unknown, unknown] }>
type Group = Extract<Conversation, { kind: 'group' }>

async function conversationWithSends(): Promise<{ conversation: Direct; sends: Send[]; last: Message }> {
  const [alice, bob] = [user('alice'), user('bob')]
  const started = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'load first' })
  const sends: Send[] = []
  let last = started.message
  for (const [i, sender] of [bob, alice, bob].entries()) {
    last = await messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender, message: `load ${i}-${sequence}` })
    await handler({ Records: [insertRecordOf(last, sequence++)] })
    sends.push({
      messageId: `id${i}`,
      messageGroupUuid: started.messageGroupUuid,
      sender,
      text: last.message,
      attempts: 1,
      acked: { uuid: last.uuid, sortKey: last.sortKey, createdAt: last.createdAt }
    })
  }
  return { conversation: { messageGroupUuid: started.messageGroupUuid, participants: [alice, bob] }, sends, last }
}

/** A group of four the library started, with messages from two of its members delivered one at a time. */
async function groupWithSends(): Promise<{ conversation: Group; sends: Send[]; last: Message }> {
  const members = ['ada', 'ben', 'cleo', 'dev'].map(user)
  const title = `load group ${sequence}`
  const started = await messaging.createGroup({ creator: members[0]!, members: members.slice(1), title, message: 'group starts' })
  await handler({ Records: [insertRecordOf(started.message!, sequence++)] })
  const sends: Send[] = []
  let last = started.message!
  for (const [i, sender] of [members[1]!, members[2]!, members[1]!].entries()) {
    last = await messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender, message: `group load ${i}-${sequence}` })
    await handler({ Records: [insertRecordOf(last, sequence++)] })
    sends.push({ messageId: `gid${i}`, messageGroupUuid: started.messageGroupUuid, sender, text: last.message, attempts: 1, acked: { uuid: last.uuid, sortKey: last.sortKey, createdAt: last.createdAt } })
  }
  return { conversation: { kind: 'group', messageGroupUuid: started.messageGroupUuid, participants: members, title }, sends, last }
}

const problemsOf = async (c: { conversation: Conversation; sends: Send[] }, exactlyOnce = true) =>
  verifyItems(await scanAll(client, tableName), [c.conversation], c.sends, exactlyOnce)
const update = (key: Record<string, string>, expression: string, values: Record<string, unknown>) =>
  document.send(new UpdateCommand({ TableName: tableName, Key: key, UpdateExpression: expression, ExpressionAttributeValues: values }))

describe('the load harness verdict', () => {
  it('passes a table the library and its stream handler wrote', async () => {
    const c = await conversationWithSends()
    const verdict = await problemsOf(c)
    expect(verdict.problems).toEqual([])
    expect(verdict).toMatchObject({ acknowledged: 3, lost: 0, duplicates: 0 })
  })

  it('finds an acknowledged message that is not stored, and a second copy of one', async () => {
    const c = await conversationWithSends()
    const [first, second] = c.sends
    await document.send(new DeleteCommand({ TableName: tableName, Key: { pk: messagePk(c.conversation.messageGroupUuid), sk: first!.acked!.sortKey } }))
    await document.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: messagePk(c.conversation.messageGroupUuid), sk: `${second!.acked!.sortKey.slice(0, -1)}Z`, message: second!.text, message_uuid: 'copy', user_uuid: second!.sender.uuid }
      })
    )
    const verdict = await problemsOf(c)
    expect(verdict.lost).toBe(1)
    expect(verdict.duplicates).toBe(1)
    expect(verdict.problems.join('\n')).toMatch(/id0: acknowledged .* but not stored/)
    expect(verdict.problems.join('\n')).toMatch(/id1: stored 2 times/)
    // Without message_id support in the server, a copy is counted but not a failure; a lost message still is.
    const lenient = await problemsOf(c, false)
    expect(lenient.problems.some((p) => p.includes('stored 2 times'))).toBe(false)
    expect(lenient.lost).toBe(1)
  })

  it('finds a missing row, a row behind the newest message, a wrong unread count and a wrong unread-index key', async () => {
    const c = await conversationWithSends()
    const [alice, bob] = c.conversation.participants
    const group = c.conversation.messageGroupUuid
    await document.send(new DeleteCommand({ TableName: tableName, Key: rowKey(bob.uuid, group) }))
    const problems = async () => (await problemsOf(c)).problems.join('\n')
    expect(await problems()).toMatch(/bob: no row/)
    // Alice has Bob's last message unread (1): her row shown one message back, then a count of 5 without its index key.
    await update(rowKey(alice.uuid, group), 'SET last_sk = :old', { ':old': c.sends[1]!.acked!.sortKey })
    expect(await problems()).toMatch(/alice: row at .*, newest message/)
    await update(rowKey(alice.uuid, group), 'SET last_sk = :sk, unread_count = :n REMOVE unread_owner_uuid', { ':sk': c.last.sortKey, ':n': 5 })
    const found = await problems()
    expect(found).toMatch(/alice: unread_count 5, messages after the marker 1/)
    expect(found).toMatch(/alice: unread_owner_uuid undefined with 1 unread/)
  })

  it('finds a row without a membership, and a member without one', async () => {
    const c = await conversationWithSends()
    const [alice, bob] = c.conversation.participants
    const group = c.conversation.messageGroupUuid
    await document.send(new DeleteCommand({ TableName: tableName, Key: { pk: messagePk(group), sk: memberSk(bob.uuid) } }))
    const stranger = user('stranger')
    const { Item } = await document.send(new GetCommand({ TableName: tableName, Key: rowKey(alice.uuid, group), ConsistentRead: true }))
    await document.send(new PutCommand({ TableName: tableName, Item: { ...Item, ...rowKey(stranger.uuid, group) } }))
    const problems = (await problemsOf(c)).problems.join('\n')
    expect(problems).toMatch(/bob: no membership/)
    expect(problems).toMatch(new RegExp(`a row of ${bob.uuid}, who has no membership`))
    expect(problems).toMatch(new RegExp(`a row of ${stranger.uuid}, who has no membership`))
  })

  it('passes a group the library wrote, and finds a group row naming the wrong sender, a member count off and a member missing', async () => {
    const c = await groupWithSends()
    expect((await problemsOf(c)).problems).toEqual([])
    const [ada, , cleo, dev] = c.conversation.participants
    const group = c.conversation.messageGroupUuid
    // Ada's row names Cleo as the last sender (Ben sent the newest); the count says 5 members; Dev's membership is gone.
    await update(rowKey(ada!.uuid, group), 'SET sender_uuid = :who, sender_handle = :handle', { ':who': cleo!.uuid, ':handle': cleo!.handle })
    await update({ pk: messagePk(group), sk: CONVERSATION_SK }, 'SET member_count = :n', { ':n': 5 })
    await document.send(new DeleteCommand({ TableName: tableName, Key: { pk: messagePk(group), sk: memberSk(dev!.uuid) } }))
    const problems = (await problemsOf(c)).problems.join('\n')
    expect(problems).toMatch(new RegExp(`ada: row names sender cleo \\(${cleo!.uuid}\\), newest message from ben`))
    expect(problems).toMatch(/member_count 5 with 3 memberships/)
    expect(problems).toMatch(/dev: no membership/)
    expect(problems).toMatch(new RegExp(`a row of ${dev!.uuid}, who has no membership`))
    expect(problems).not.toMatch(/ben: row/)
  })
})
