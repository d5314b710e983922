// After a run, the table itself (a consistent scan straight from DynamoDB Local, not the API) must show: every
// acknowledged message stored exactly once where the client was told; each member of a conversation with exactly one
// row (its key is fixed: GRP#<member>/MSG#<conversation>), at the conversation's newest message, describing the other
// member (a direct conversation) or naming the newest message's sender (a group), and no row without a membership;
// a group's member count equal to its memberships; each row's unread count exact.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CONVERSATION_SK, MEMBER_SK_PREFIX, MESSAGE_GROUP_PREFIX, MESSAGE_PREFIX, UNREAD_COUNT_CAP } from '../../src/index.js'
import { scanAll } from '../../test/support/engine.js'
import type { Conversation, LoadUser, Send } from './workload.js'

type Item = Record<string, unknown>

export interface Verdict {
  acknowledged: number
  unacknowledged: number
  /** Unacknowledged messages the table holds anyway (the server stored them, the answer was lost). */
  unacknowledgedStored: number
  /** Messages stored more than once (a retry stored a second copy). */
  duplicates: number
  /** Acknowledged messages not in the table. */
  lost: number
  problems: string[]
}

/** The items of one conversation: its messages (oldest first), its own item, its memberships and its members' rows. */
interface ConversationItems {
  messages: Item[]
  conversation?: Item
  members: Set<string>
  rows: Item[]
}

function byConversation(items: readonly Item[]): Map<string, ConversationItems> {
  const groups = new Map<string, ConversationItems>()
  const of = (group: string) => {
    let found = groups.get(group)
    if (!found) groups.set(group, (found = { messages: [], members: new Set(), rows: [] }))
    return found
  }
  for (const item of items) {
    const [pk, sk] = [String(item.pk), String(item.sk)]
    if (pk.startsWith(MESSAGE_GROUP_PREFIX) && sk.startsWith(MESSAGE_PREFIX)) of(sk.slice(MESSAGE_PREFIX.length)).rows.push(item)
    if (!pk.startsWith(MESSAGE_PREFIX)) continue
    const group = of(pk.slice(MESSAGE_PREFIX.length))
    if (sk === CONVERSATION_SK) group.conversation = item
    else if (sk.startsWith(MEMBER_SK_PREFIX)) group.members.add(sk.slice(MEMBER_SK_PREFIX.length))
    else if (!sk.startsWith('#')) group.messages.push(item)
  }
  for (const group of groups.values()) group.messages.sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1))
  return groups
}

/** What is wrong with one conversation's membership and rows, against its newest stored message. Empty when all holds. */
function conversationViolations(group: ConversationItems, conversation: Conversation): string[] {
  const id = conversation.messageGroupUuid
  const problems: string[] = []
  const newest = group.messages.at(-1)
  if (!newest) return [`${id}: no messages`]
  problems.push(...(conversation.kind === 'group' ? groupItemViolations(group, conversation) : directItemViolations(group, id)))
  const expected = new Set(conversation.participants.map((p) => p.uuid))
  for (const member of group.members) if (!expected.has(member)) problems.push(`${id}: membership of a stranger ${member}`)
  for (const row of group.rows) {
    const owner = String(row.pk).slice(MESSAGE_GROUP_PREFIX.length)
    if (!group.members.has(owner)) problems.push(`${id}: a row of ${owner}, who has no membership`)
    if (row.message_group_uuid !== undefined) problems.push(`${id}: ${owner}'s row carries message_group_uuid (the bootcamp's stream function would move it)`)
  }
  for (const [i, person] of conversation.participants.entries()) {
    const label = `${id} ${person.handle}`
    if (!group.members.has(person.uuid)) problems.push(`${label}: no membership`)
    const row = group.rows.find((r) => r.pk === `${MESSAGE_GROUP_PREFIX}${person.uuid}`)
    if (!row) {
      problems.push(`${label}: no row`)
      continue
    }
    problems.push(...rowViolations(label, row, person, group.messages))
    // A direct row describes the other participant; a group's row, who sent its last message.
    problems.push(...(conversation.kind === 'group' ? senderViolations(label, row, newest) : otherViolations(label, row, conversation.participants[1 - i]!)))
  }
  return problems
}

function directItemViolations(group: ConversationItems, id: string): string[] {
  return group.conversation?.kind === 'direct' ? [] : [`${id}: conversation item ${JSON.stringify(group.conversation ?? null)}`]
}

/** A group's own item: kind, title, and a member count equal to its memberships. */
function groupItemViolations(group: ConversationItems, conversation: Extract<Conversation, { kind: 'group' }>): string[] {
  const id = conversation.messageGroupUuid
  const item = group.conversation
  if (item?.kind !== 'group' || item.title !== conversation.title) return [`${id}: conversation item ${JSON.stringify(item ?? null)}`]
  return item.member_count === group.members.size ? [] : [`${id}: member_count ${String(item.member_count)} with ${group.members.size} memberships`]
}

/** One member's row against the conversation's messages: at the newest, counts exact. */
function rowViolations(label: string, row: Item, owner: LoadUser, messages: readonly Item[]): string[] {
  const problems: string[] = []
  const newest = messages.at(-1)!
  if (row.last_sk !== newest.sk) problems.push(`${label}: row at ${String(row.last_sk)}, newest message ${String(newest.sk)}`)
  if (row.message !== newest.message) problems.push(`${label}: row says ${JSON.stringify(row.message)}, newest ${JSON.stringify(newest.message)}`)
  if (typeof row.rev !== 'number') problems.push(`${label}: rev ${JSON.stringify(row.rev)}`)
  const marker = row.last_read_sk === undefined ? '' : String(row.last_read_sk)
  const unread = messages.filter((m) => m.user_uuid !== owner.uuid && String(m.sk) > marker && String(m.sk) <= String(row.last_sk)).length
  const expected = Math.min(unread, UNREAD_COUNT_CAP)
  if (row.unread_count !== expected) problems.push(`${label}: unread_count ${String(row.unread_count)}, messages after the marker ${unread}`)
  if ((row.unread_owner_uuid === owner.uuid) !== expected > 0 || (row.unread_owner_uuid !== undefined && row.unread_owner_uuid !== owner.uuid)) {
    problems.push(`${label}: unread_owner_uuid ${String(row.unread_owner_uuid)} with ${unread} unread`)
  }
  return problems
}

function otherViolations(label: string, row: Item, other: LoadUser): string[] {
  if (row.user_uuid === other.uuid && row.user_handle === other.handle && row.user_display_name === other.displayName) return []
  return [`${label}: row describes ${String(row.user_handle)} (${String(row.user_uuid)}), not ${other.handle}`]
}

/** A group member's row: kind `group`, no other-participant fields, the newest message's sender. */
function senderViolations(label: string, row: Item, newest: Item): string[] {
  const problems: string[] = []
  if (row.kind !== 'group' || row.user_uuid !== undefined) problems.push(`${label}: a group row of kind ${String(row.kind)} naming ${String(row.user_uuid)}`)
  if (row.sender_uuid !== newest.user_uuid || row.sender_handle !== newest.user_handle || row.sender_display_name !== newest.user_display_name) {
    problems.push(`${label}: row names sender ${String(row.sender_handle)} (${String(row.sender_uuid)}), newest message from ${String(newest.user_handle)}`)
  }
  return problems
}

/** What is wrong with `items`; `exactlyOnce` false (a server without `message_id`) counts duplicates without failing. */
export function verifyItems(items: readonly Item[], conversations: readonly Conversation[], sends: readonly Send[], exactlyOnce: boolean): Verdict {
  const problems: string[] = []
  const groups = byConversation(items)
  const storedByText = new Map<string, Item[]>()
  for (const { messages } of groups.values()) for (const m of messages) storedByText.set(String(m.message), [...(storedByText.get(String(m.message)) ?? []), m])

  let lost = 0
  let duplicates = 0
  let unacknowledgedStored = 0
  for (const send of sends) {
    const stored = storedByText.get(send.text) ?? []
    if (stored.length > 1) {
      duplicates++
      if (exactlyOnce) problems.push(`${send.messageId}: stored ${stored.length} times`)
    }
    if (!send.acked) {
      if (stored.length > 0) unacknowledgedStored++
      continue
    }
    if (stored.length === 0) {
      lost++
      problems.push(`${send.messageId}: acknowledged (${send.acked.sortKey}) but not stored`)
    } else if (!stored.some((m) => m.sk === send.acked!.sortKey && m.message_uuid === send.acked!.uuid)) {
      problems.push(`${send.messageId}: acknowledged as ${send.acked.sortKey}, stored as ${stored.map((m) => String(m.sk)).join(', ')}`)
    }
  }
  for (const conversation of conversations) {
    const group = groups.get(conversation.messageGroupUuid) ?? { messages: [], members: new Set<string>(), rows: [] }
    problems.push(...conversationViolations(group, conversation))
  }
  return {
    acknowledged: sends.filter((s) => s.acked).length,
    unacknowledged: sends.filter((s) => !s.acked).length,
    unacknowledgedStored,
    duplicates,
    lost,
    problems
  }
}

/** Rows converge asynchronously (the stream worker): the verdict once it is clean, or the last one after `timeoutMs`. */
export async function verifyTable(
  client: DynamoDBClient,
  tableName: string,
  conversations: readonly Conversation[],
  sends: readonly Send[],
  options: { exactlyOnce: boolean; timeoutMs: number }
): Promise<Verdict & { convergedMs: number }> {
  const started = Date.now()
  for (;;) {
    const verdict = verifyItems(await scanAll(client, tableName), conversations, sends, options.exactlyOnce)
    if (verdict.problems.length === 0 || Date.now() - started > options.timeoutMs) return { ...verdict, convergedMs: Date.now() - started }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
