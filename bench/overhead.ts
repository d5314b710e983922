import { randomUUID } from 'node:crypto'
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, INBOX_INDEX, memberSk, messageGroupPk, messagePk, messageSk, rowKey, type Message } from '../src/index.js'
import { clientFor, createTable, person } from './engine.js'
import { fmt, median, type Figure } from './report.js'
import { ulid } from 'ulid'

const SECTION = '3. Library overhead against hand-written @aws-sdk/lib-dynamodb calls (same requests)'

/** Figure 3: median latency of each pattern against the same requests written by hand, alternated to share the noise. */
export async function benchOverhead(endpoint: string, options: { iterations: number }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
  const tableName = await createTable(client, 'overhead')
  const messaging = createMessaging({ client, tableName })
  const [alice, bob] = [person('alice'), person('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'start' })
  for (let i = 0; i < 30; i++) await messaging.createMessage({ messageGroupUuid, sender: bob, message: `warm ${i}` })

  const getMembership = (userUuid: string) =>
    doc.send(new GetCommand({ TableName: tableName, Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) }, ConsistentRead: true }))
  const raw = {
    A: async () => {
      await getMembership(alice.uuid)
      await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :floor',
          ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': '0' },
          ScanIndexForward: false,
          Limit: 20
        })
      )
    },
    B: () =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INBOX_INDEX,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': messageGroupPk(alice.uuid) },
          ScanIndexForward: false,
          Limit: 20
        })
      ),
    C: async () => {
      await getMembership(alice.uuid)
      const now = new Date()
      const sk = messageSk(now, ulid(now.getTime()))
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: messagePk(messageGroupUuid), sk, message_uuid: randomUUID(), message: 'raw', user_uuid: alice.uuid, user_display_name: alice.displayName, user_handle: alice.handle },
          ConditionExpression: 'attribute_not_exists(pk)'
        })
      )
      // The sender's own row, in the request.
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: rowKey(alice.uuid, messageGroupUuid),
          UpdateExpression: 'SET last_sk = :sk, message = :text, last_read_sk = :sk, unread_count = :zero REMOVE unread_owner_uuid ADD rev :one',
          ConditionExpression: 'attribute_exists(pk) AND last_sk < :sk AND (attribute_not_exists(last_read_sk) OR last_read_sk < :sk)',
          ExpressionAttributeValues: { ':sk': sk, ':text': 'raw', ':zero': 0, ':one': 1 }
        })
      )
    },
    D: async (latest: Message) => {
      // The members, their rows, the messages since the oldest row, then one conditional update per row behind.
      const { Items: members = [] } = await doc.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND sk < :floor', ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': '0' }, ConsistentRead: true })
      )
      const owners = members.filter((item) => String(item.sk).startsWith('#MEMBER#')).map((item) => String(item.sk).slice('#MEMBER#'.length))
      const { Responses } = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: owners.map((owner) => rowKey(owner, messageGroupUuid)) } } }))
      const behind = (Responses?.[tableName] ?? []).filter((row) => String(row.last_sk) < latest.sortKey)
      if (behind.length === 0) return
      const after = behind.map((row) => String(row.last_sk)).sort()[0]!
      const { Items: read = [] } = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :through',
          ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':after': after, ':through': latest.sortKey },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: 200
        })
      )
      for (const row of behind) {
        const owner = String(row.pk).slice('GRP#'.length)
        const newer = read.filter((m) => String(m.sk) > String(row.last_sk))
        const own = newer.filter((m) => m.user_uuid === owner).at(0)?.sk as string | undefined
        const others = (since: string) => newer.filter((m) => String(m.sk) > since && m.user_uuid !== owner).length
        const count = own ? others(own) : Number(row.unread_count ?? 0) + others(String(row.last_sk))
        const marker = own ?? row.last_read_sk
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: row.pk, sk: row.sk },
            UpdateExpression: `SET last_sk = :sk, message = :text, unread_count = :count, rev = :next${marker ? ', last_read_sk = :marker' : ''}${count > 0 ? ', unread_owner_uuid = :owner' : ' REMOVE unread_owner_uuid'}`,
            ConditionExpression: 'rev = :rev',
            ExpressionAttributeValues: {
              ':sk': latest.sortKey,
              ':text': newer[0]?.message,
              ':count': count,
              ':rev': row.rev,
              ':next': Number(row.rev) + 1,
              ...(marker && { ':marker': marker }),
              ...(count > 0 && { ':owner': owner })
            }
          })
        )
      }
    }
  }
  const library = {
    A: () => messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, limit: 20 }),
    B: () => messaging.listMessageGroups({ userUuid: alice.uuid, limit: 20 }),
    C: () => messaging.createMessage({ messageGroupUuid, sender: alice, message: 'library' }),
    D: (latest: Message) => messaging.updateMessageGroups(latest)
  }

  const figures: Figure[] = []
  for (const pattern of ['A', 'B', 'C', 'D'] as const) {
    const timesLibrary: number[] = []
    const timesRaw: number[] = []
    const order: Array<'library' | 'raw'> = ['library', 'raw']
    for (let i = 0; i < options.iterations + 5; i++) {
      for (const which of i % 2 ? [...order].reverse() : order) {
        // D needs a newer message each time, sent outside the timing.
        const latest = pattern === 'D' ? await messaging.createMessage({ messageGroupUuid, sender: bob, message: `d ${i}` }) : undefined
        const run = (which === 'raw' ? raw[pattern] : library[pattern]) as (latest?: Message) => Promise<unknown>
        const start = performance.now()
        await run(latest)
        const elapsed = performance.now() - start
        if (i >= 5) (which === 'raw' ? timesRaw : timesLibrary).push(elapsed) // the first rounds warm up both paths
      }
    }
    const ratio = median(timesLibrary) / median(timesRaw)
    figures.push({
      section: SECTION,
      figure: `Pattern ${pattern}: median latency, library / hand-written`,
      measured: `${fmt(median(timesLibrary))} ms / ${fmt(median(timesRaw))} ms = ${fmt(ratio)}× (${options.iterations} runs each)`,
      goal: '≤ 1.15×',
      met: ratio <= 1.15
    })
  }
  client.destroy()
  return figures
}
