import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMessaging, type Message } from 'dynamo-messaging'
import type { UserDirectory } from './users.js'

/** A few conversations between the users of users.json; cleo and dana have none, to try starting one. */
const CONVERSATIONS: ReadonlyArray<ReadonlyArray<readonly [from: string, to: string, text: string]>> = [
  [
    ['ada', 'ben', 'Hi Ben! Did the messages table survive the migration?'],
    ['ben', 'ada', 'It did. Every conversation is still there.'],
    ['ada', 'ben', 'Even the ones from last year?'],
    ['ben', 'ada', 'Even those: no year filter any more.'],
    ['ada', 'ben', 'Then let us ship it.']
  ],
  [
    ['cleo', 'ada', 'Ada, can you review my stream handler?'],
    ['ada', 'cleo', 'Sure, send me the link.'],
    ['cleo', 'ada', 'Here it is. Thanks!']
  ],
  [
    ['dana', 'ben', 'Lunch tomorrow?'],
    ['ben', 'dana', 'Yes, noon works.']
  ]
]

export interface SeededConversation {
  messageGroupUuid: string
  handles: readonly [string, string]
  last: Message
}

/**
 * Writes the conversations through the library (so the data is exactly what the API would write), timed in the past,
 * then brings each participant's conversation list to its last message (Pattern D) directly, not waiting for a stream.
 */
export async function seedConversations(options: {
  client: DynamoDBClient
  tableName: string
  users: UserDirectory
  now?: Date
}): Promise<SeededConversation[]> {
  // A clock starting two days ago, five minutes per message, so the seeded messages are older than any new one.
  let time = (options.now ?? new Date()).getTime() - 2 * 24 * 60 * 60 * 1000
  const messaging = createMessaging({ client: options.client, tableName: options.tableName, now: () => new Date((time += 5 * 60 * 1000)) })
  const person = async (handle: string) => {
    const user = await options.users.findByHandle(handle)
    if (!user) throw new Error(`seed: no user @${handle} in the user directory`)
    return { uuid: user.uuid, displayName: user.displayName, handle: user.handle }
  }

  const seeded: SeededConversation[] = []
  for (const [first, ...replies] of CONVERSATIONS) {
    if (!first) continue
    const started = await messaging.createMessageGroup({ sender: await person(first[0]), recipient: await person(first[1]), message: first[2] })
    let last = started.message
    for (const [from, , text] of replies) {
      last = await messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender: await person(from), message: text })
    }
    await messaging.updateMessageGroups(last)
    seeded.push({ messageGroupUuid: started.messageGroupUuid, handles: [first[0], first[1]], last })
  }
  return seeded
}
