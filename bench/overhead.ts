import { randomUUID } from 'node:crypto'
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { createMessaging, messageGroupPk, messagePk, messageSk, MEMBERS_SK, type Message } from '../src/index.js'
import { clientFor, createTable, person } from './engine.js'
import { queryGroupIndex } from './seedsAlgorithm.js'
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

  const getMembers = () =>
    doc.send(new GetCommand({ TableName: tableName, Key: { pk: messagePk(messageGroupUuid), sk: MEMBERS_SK }, ConsistentRead: true }))
  const raw = {
    A: async () => {
      await getMembers()
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
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': messageGroupPk(alice.uuid) },
          ScanIndexForward: false,
          Limit: 20
        })
      ),
    C: async () => {
      await getMembers()
      const now = new Date()
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: messagePk(messageGroupUuid),
            sk: messageSk(now, ulid(now.getTime())),
            message_uuid: randomUUID(),
            message: 'raw',
            user_uuid: alice.uuid,
            user_display_name: alice.displayName,
            user_handle: alice.handle
          },
          ConditionExpression: 'attribute_not_exists(pk)'
        })
      )
    },
    D: async (latest: Message) => {
      const Items = await queryGroupIndex(doc, tableName, messageGroupUuid)
      // The new messages, for the unread counts: a consistent Query of the range since the rows' position.
      const after = Items.map((row) => String(row.sk)).sort()[0]!
      const { Items: read = [] } = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :through',
          ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':after': after, ':through': latest.sortKey },
          ProjectionExpression: 'sk, user_uuid',
          ConsistentRead: true
        })
      )
      const readState = (row: Record<string, unknown>) => {
        const newer = read.filter((m) => String(m.sk) > String(row.sk))
        const owner = String(row.pk).slice(4)
        const own = newer.filter((m) => m.user_uuid === owner).at(-1)?.sk as string | undefined
        const count = own
          ? newer.filter((m) => String(m.sk) > own && m.user_uuid !== owner).length
          : Number(row.unread_count ?? 0) + newer.filter((m) => m.user_uuid !== owner).length
        return { last_read_sk: own ?? row.last_read_sk, unread_count: count, unread_owner_uuid: count > 0 ? owner : undefined }
      }
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...Items.map((row) => ({
              Delete: {
                TableName: tableName,
                Key: { pk: row.pk, sk: row.sk },
                ConditionExpression: `attribute_exists(pk) AND ${row.last_read_sk === undefined ? 'attribute_not_exists(last_read_sk)' : 'last_read_sk = :m'} AND unread_count = :c`,
                ExpressionAttributeValues: { ...(row.last_read_sk !== undefined && { ':m': row.last_read_sk }), ':c': row.unread_count }
              }
            })),
            ...Items.map((row) => ({
              Put: {
                TableName: tableName,
                Item: { ...row, sk: latest.sortKey, message: latest.message, ...readState(row) },
                ConditionExpression: 'attribute_not_exists(pk)'
              }
            }))
          ]
        })
      )
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
