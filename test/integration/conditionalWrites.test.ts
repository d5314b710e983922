import { describe, expect, it } from 'vitest'
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { CONVERSATION_SK, createMessaging, messagePk } from '../../src/index.js'
import { engineClient, scanAll, testTable, user } from '../support/engine.js'
import { injectFaults } from '../support/faults.js'

const { client, tableName } = await testTable('conditional')

describe('writes that create items are conditional', () => {
  it('never overwrites a message, even when two get the same sort key', async () => {
    // Same clock and same ULID: the one collision the key design rules out in practice, forced here.
    const frozen = () => new Date('2026-07-07T07:07:07.007Z')
    const sameId = () => '01JZZZZZZZZZZZZZZZZZZZZZZZ'
    const messaging = createMessaging({ client, tableName, now: frozen, newUlid: sameId })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
    const before = await scanAll(client, tableName)
    await expect(messaging.createMessage({ messageGroupUuid, sender: bob, message: 'would overwrite' })).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException'
    })
    expect(await scanAll(client, tableName)).toEqual(before)
    expect((await messaging.listMessages({ messageGroupUuid })).items.map((m) => m.message)).toEqual(['first'])
  })

  it('never overwrites a membership or a row: a start whose conversation item is gone fails whole', async () => {
    const messaging = createMessaging({ client, tableName })
    const [alice, bob] = [user('alice'), user('bob')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
    // Other code deleted the conversation item, so the start's first condition passes: the others must hold.
    await DynamoDBDocumentClient.from(client).send(new DeleteCommand({ TableName: tableName, Key: { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK } }))
    const before = await scanAll(client, tableName)
    const error = await messaging.createMessageGroup({ sender: bob, recipient: alice, message: 'again' }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ name: 'TransactionCanceledException' })
    expect(await scanAll(client, tableName)).toEqual(before)
  })
})

describe('membership costs O(1) reads', () => {
  it('checks a sender with many conversations with one consistent GetItem', async () => {
    const counted = engineClient()
    const sent: Array<{ name: string; consistent: unknown }> = []
    injectFaults(counted, (name, input) => void sent.push({ name, consistent: input.ConsistentRead }))
    const messaging = createMessaging({ client: counted, tableName })
    const busy = user('busy')
    let last = ''
    for (let i = 0; i < 25; i++) {
      last = (await messaging.createMessageGroup({ sender: busy, recipient: user(`friend${i}`), message: 'hi' })).messageGroupUuid
    }
    sent.length = 0
    await messaging.createMessage({ messageGroupUuid: last, sender: busy, message: 'one more' })
    expect(sent).toEqual([
      { name: 'GetItemCommand', consistent: true },
      { name: 'PutItemCommand', consistent: undefined },
      { name: 'UpdateItemCommand', consistent: undefined } // the sender's own row
    ])
    sent.length = 0
    await messaging.listMessages({ messageGroupUuid: last, viewerUuid: busy.uuid })
    expect(sent.map((s) => s.name)).toEqual(['GetItemCommand', 'QueryCommand'])
    counted.destroy()
  })
})
