import { randomUUID } from 'node:crypto'
import { monotonicFactory } from 'ulid'
import { messagePk, messageSk } from '../../keys/keys.js'
import type { LatestMessage, Participant } from '../../types.js'

/** A conversation bulk messages go to, and its two participants (they take turns). */
export interface BulkTarget {
  messageGroupUuid: string
  participants: readonly [Participant, Participant]
}

/** A message row exactly as the library's `createMessage` stores it. */
export interface MessageRow {
  pk: string
  sk: string
  message_uuid: string
  message: string
  user_uuid: string
  user_display_name: string
  user_handle: string
}

/** Bulk messages fill the last 12 hours before "now", after every scripted seed conversation. */
export const BULK_WINDOW_MS = 12 * 3_600_000

/**
 * `count` message rows dealt round-robin over `targets`, evenly spaced in time over the 12 hours before `now`,
 * oldest first, plus each conversation's newest one, for Pattern D.
 */
export function planBulkMessages(
  count: number,
  targets: readonly BulkTarget[],
  now: Date
): { rows: MessageRow[]; latest: LatestMessage[] } {
  if (targets.length === 0) throw new Error('no conversations to add messages to')
  const newUlid = monotonicFactory()
  const end = now.getTime() - 60_000
  const step = BULK_WINDOW_MS / Math.max(count, 1)
  const rows: MessageRow[] = []
  const latest = new Map<string, LatestMessage>()
  const sentIn = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const target = targets[i % targets.length]!
    const turn = sentIn.get(target.messageGroupUuid) ?? 0
    sentIn.set(target.messageGroupUuid, turn + 1)
    const sender = target.participants[turn % 2]!
    const createdAt = new Date(Math.floor(end - BULK_WINDOW_MS + (i + 1) * step))
    const row: MessageRow = {
      pk: messagePk(target.messageGroupUuid),
      sk: messageSk(createdAt, newUlid(createdAt.getTime())),
      message_uuid: randomUUID(),
      message: `Bulk message ${i + 1} of ${count}`,
      user_uuid: sender.uuid,
      user_display_name: sender.displayName,
      user_handle: sender.handle
    }
    rows.push(row)
    latest.set(target.messageGroupUuid, { messageGroupUuid: target.messageGroupUuid, sortKey: row.sk, message: row.message })
  }
  return { rows, latest: [...latest.values()] }
}
