// Quick start: creates the table in DynamoDB Local and runs patterns A to D.
// Run with `npm run quickstart`; set DYNAMODB_ENDPOINT to use a DynamoDB Local you started yourself.
import { randomUUID } from 'node:crypto'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { createMessaging, tableDefinition } from 'dynamo-messaging'
import { localDynamoDbClient, startDynamoDbLocal } from 'dynamo-messaging/local'

const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal()
const client = localDynamoDbClient(process.env.DYNAMODB_ENDPOINT ?? local!.endpoint)
try {
  const tableName = `quick-start-${randomUUID().slice(0, 8)}`
  await client.send(new CreateTableCommand(tableDefinition({ tableName })))
  const messaging = createMessaging({ client, tableName })

  const alice = { uuid: randomUUID(), displayName: 'Alice', handle: 'alice' }
  const bob = { uuid: randomUUID(), displayName: 'Bob', handle: 'bob' }

  // A new conversation: both participants' rows and the first message, in one transaction.
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob!' })
  // Pattern C: a reply.
  const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice!' })
  // Pattern D: on AWS the stream Lambda does this; here we call it directly.
  await messaging.updateMessageGroups(reply)
  // Pattern A: the conversation, newest first.
  const { items: messages } = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
  // Pattern B: Alice's conversations, newest first.
  const { items: conversations } = await messaging.listMessageGroups({ userUuid: alice.uuid })

  console.log('Pattern A:', messages.map((m) => `${m.handle}: ${m.message}`).join(' | '))
  console.log('Pattern B:', conversations.map((g) => `${g.kind === 'direct' ? g.otherUserHandle : g.title}: ${g.lastMessage ?? ''}`).join(' | '))
} finally {
  client.destroy()
  await local?.stop()
}
