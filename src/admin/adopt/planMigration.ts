import { CONVERSATION_SK, memberSk, messagePk } from '../../keys/keys.js'
import type { StoredMessageGroupRow } from '../../table/rows.js'
import type { Participant } from '../../types.js'
import { LEGACY_MEMBERS_SK, type LegacyRow } from '../maintenance/legacyLayout.js'
import type { TransactItem } from '../maintenance/TransactItem.js'

/** What one conversation holds, as {@link planMigration} takes it: read strongly consistently, and the rows to make. */
export interface MigrationInput {
  tableName: string
  messageGroupUuid: string
  /** Its `#CONVERSATION` item exists. */
  hasConversation: boolean
  /** When it started (its oldest message's time): the conversation item's `created_at`, the members' `joined_at`. */
  createdAt: string
  /** Its members. */
  participants: readonly Participant[]
  /** Members whose membership item exists already. */
  withMembership: readonly string[]
  /** New rows for the members who have none (the others keep theirs). */
  newRows: readonly StoredMessageGroupRow[]
  /** Its rows of the old layouts, as read. */
  legacyRows: readonly LegacyRow[]
  /** Its 0.2 `#MEMBERS` item (listing members) exists. */
  legacyMembers: boolean
}

/** The writes that take one conversation to the new layout, and what they count. */
export interface MigrationPlan {
  /** Creations first (each conditioned on the item being absent), then deletions (each on the item being as read). */
  items: TransactItem[]
  /** How many creations lead `items`: they go in the first transaction, whole. */
  creations: number
  written: { conversations: number; memberships: number; rows: number }
  deleted: { rows: number; membersItems: number }
}

/** The attributes a deletion of an old row checks are as read: a row changed since (moved, read, counted) stays. */
const CHECKED = ['message_group_uuid', 'message', 'user_uuid', 'last_read_sk', 'unread_count'] as const

/**
 * The writes of one conversation's migration, pure: its conversation item, a membership item per member and a row per
 * member who lack one, each put only where nothing is (`attribute_not_exists`), so a run again, or a writer first,
 * is never overwritten; then the deletion of every old row (only if it is still as read) and of the `#MEMBERS` item.
 * Messages are not touched.
 */
export function planMigration(input: MigrationInput): MigrationPlan {
  const { tableName, messageGroupUuid, createdAt } = input
  const pk = messagePk(messageGroupUuid)
  const absent = { ConditionExpression: 'attribute_not_exists(pk)' }
  const put = (Item: Record<string, unknown>): TransactItem => ({ Put: { TableName: tableName, Item, ...absent } })
  const creations: TransactItem[] = []
  if (!input.hasConversation) creations.push(put({ pk, sk: CONVERSATION_SK, kind: 'direct', created_at: createdAt }))
  const members = input.participants.filter((member) => !input.withMembership.includes(member.uuid))
  for (const member of members) {
    creations.push(
      put({ pk, sk: memberSk(member.uuid), user_display_name: member.displayName, user_handle: member.handle, joined_at: createdAt })
    )
  }
  for (const row of input.newRows) creations.push(put({ ...row }))

  const deletions: TransactItem[] = input.legacyRows.map((row) => {
    const names: Record<string, string> = {}
    const values: Record<string, unknown> = {}
    const checks = CHECKED.map((name) => {
      names[`#${name}`] = name
      if (row[name] === undefined) return `attribute_not_exists(#${name})`
      values[`:${name}`] = row[name]
      return `#${name} = :${name}`
    })
    return {
      Delete: {
        TableName: tableName,
        Key: { pk: row.pk, sk: row.sk },
        ConditionExpression: checks.join(' AND '),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values })
      }
    }
  })
  if (input.legacyMembers) {
    deletions.push({ Delete: { TableName: tableName, Key: { pk, sk: LEGACY_MEMBERS_SK }, ConditionExpression: 'attribute_exists(members)' } })
  }
  return {
    items: [...creations, ...deletions],
    creations: creations.length,
    written: { conversations: input.hasConversation ? 0 : 1, memberships: members.length, rows: input.newRows.length },
    deleted: { rows: input.legacyRows.length, membersItems: input.legacyMembers ? 1 : 0 }
  }
}
