// After a run, the table itself (a consistent scan straight from DynamoDB Local, not the API) must show: every
// acknowledged message stored exactly once where the client was told, each participant's conversation row at the
// conversation's newest message exactly once, and each row's unread count equal to the messages after its marker.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { scanAll } from '../../test/support/engine.js'
import { rowViolations } from '../../test/support/invariants.js'
import type { Conversation, Send } from './workload.js'

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

/** What is wrong with `items`; `exactlyOnce` false (a server without `message_id`) counts duplicates without failing. */
export function verifyItems(items: readonly Item[], conversations: readonly Conversation[], sends: readonly Send[], exactlyOnce: boolean): Verdict {
  const problems: string[] = []
  const messagesByGroup = new Map<string, Item[]>()
  for (const item of items) {
    const pk = String(item.pk)
    if (!pk.startsWith('MSG#') || item.sk === '#MEMBERS') continue
    const group = pk.slice(4)
    messagesByGroup.set(group, [...(messagesByGroup.get(group) ?? []), item])
  }
  const storedByText = new Map<string, Item[]>()
  for (const list of messagesByGroup.values()) for (const m of list) storedByText.set(String(m.message), [...(storedByText.get(String(m.message)) ?? []), m])

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
    const messages = (messagesByGroup.get(conversation.messageGroupUuid) ?? []).sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1))
    const newest = messages.at(-1)
    if (!newest) {
      problems.push(`${conversation.messageGroupUuid}: no messages`)
      continue
    }
    const people = conversation.participants.map((p) => ({ ...p, displayName: p.displayName }))
    problems.push(...rowViolations(items, { messageGroupUuid: conversation.messageGroupUuid, participants: people as never }, { sk: String(newest.sk), text: String(newest.message) }))
    for (const owner of conversation.participants) {
      const row = items.find((i) => i.pk === `GRP#${owner.uuid}` && i.message_group_uuid === conversation.messageGroupUuid)
      if (!row) continue // reported above
      const marker = row.last_read_sk === undefined ? '' : String(row.last_read_sk)
      const expected = messages.filter((m) => m.user_uuid !== owner.uuid && String(m.sk) > marker && String(m.sk) <= String(row.sk)).length
      const actual = row.unread_count === undefined ? 0 : Number(row.unread_count)
      if (actual !== expected) problems.push(`${conversation.messageGroupUuid} ${owner.handle}: unread_count ${actual}, messages after the marker ${expected}`)
      const indexed = row.unread_owner_uuid === owner.uuid
      if (indexed !== expected > 0) problems.push(`${conversation.messageGroupUuid} ${owner.handle}: unread_owner_uuid ${String(row.unread_owner_uuid)} with ${expected} unread`)
    }
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
