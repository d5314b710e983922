// The invariants adopt and repair must leave, checked against a full consistent scan of the table.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { newestOf, type BootcampConversation } from './bootcampTable.js'
import { scanAll } from './engine.js'

type Item = Record<string, unknown>

/** Every item, sorted by key, for before/after comparisons. */
export async function snapshot(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items = await scanAll(client, tableName)
  const key = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/**
 * What is wrong with one conversation's rows: each participant must have exactly one row, at `newest` (sort key and
 * text), describing the other participant; nobody else may have one. Empty when all holds.
 */
export function rowViolations(
  items: readonly Item[],
  conversation: Pick<BootcampConversation, 'messageGroupUuid' | 'participants'>,
  newest: { sk: string; text: string }
): string[] {
  const { messageGroupUuid, participants } = conversation
  const problems: string[] = []
  const rows = items.filter((item) => item.message_group_uuid === messageGroupUuid && String(item.pk).startsWith('GRP#'))
  for (const [i, person] of participants.entries()) {
    const other = participants[1 - i]!
    const own = rows.filter((row) => row.pk === `GRP#${person.uuid}`)
    const label = `${messageGroupUuid} ${person.handle}`
    if (own.length !== 1) {
      problems.push(`${label}: ${own.length} rows (${own.map((row) => row.sk).join(', ')})`)
      continue
    }
    const row = own[0]!
    if (row.sk !== newest.sk) problems.push(`${label}: row at ${String(row.sk)}, newest message ${newest.sk}`)
    if (row.message !== newest.text) problems.push(`${label}: row says ${JSON.stringify(row.message)}, newest ${JSON.stringify(newest.text)}`)
    if (row.user_uuid !== other.uuid || row.user_handle !== other.handle || row.user_display_name !== other.displayName) {
      problems.push(`${label}: row describes ${String(row.user_handle)} (${String(row.user_uuid)}), not ${other.handle}`)
    }
  }
  const strangers = rows.filter((row) => !participants.some((person) => row.pk === `GRP#${person.uuid}`))
  if (strangers.length > 0) problems.push(`${messageGroupUuid}: rows of others: ${strangers.map((row) => row.pk).join(', ')}`)
  return problems
}

/** {@link rowViolations} for each conversation at its fixture's newest message, plus its members item when `members`. */
export function violations(items: readonly Item[], conversations: readonly BootcampConversation[], options: { members: boolean }): string[] {
  return conversations.flatMap((conversation) => {
    const newest = newestOf(conversation)
    const problems = rowViolations(items, conversation, { sk: newest.sk, text: newest.text })
    if (options.members) {
      const item = items.find((i) => i.pk === `MSG#${conversation.messageGroupUuid}` && i.sk === '#MEMBERS')
      // Map attributes come back in any key order: compare a fixed rendering.
      const render = (m: Record<string, unknown>) => `${String(m.user_uuid)}|${String(m.user_display_name)}|${String(m.user_handle)}`
      const members = ((item?.members ?? []) as Array<Record<string, unknown>>).map(render)
      const expected = conversation.participants
        .map((p) => render({ user_uuid: p.uuid, user_display_name: p.displayName, user_handle: p.handle }))
        .sort()
      if (JSON.stringify(members) !== JSON.stringify(expected)) {
        problems.push(`${conversation.messageGroupUuid}: members item ${JSON.stringify(members)}`)
      }
    }
    return problems
  })
}

/** The newest message of a conversation as the table holds it now (strongly consistent). */
export async function newestStored(client: DynamoDBClient, tableName: string, messageGroupUuid: string): Promise<{ sk: string; text: string }> {
  const { Items } = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :floor',
      ExpressionAttributeValues: { ':pk': `MSG#${messageGroupUuid}`, ':floor': '0' },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 1
    })
  )
  const item = Items?.[0]
  if (!item) throw new Error(`no message in ${messageGroupUuid}`)
  return { sk: String(item.sk), text: String(item.message) }
}
