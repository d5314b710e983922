import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { MEMBERS_SK, messagePk } from '../keys/keys.js'

/**
 * A pair link sits in the members slot (`MSG#<id>`, `#MEMBERS`) of the id the library gives a pair
 * (`messageGroupUuidFor(a, b)`) and names the conversation the pair already had (a bootcamp conversation, random id,
 * adopted by `adoptTable`). Because it takes that slot, `createMessageGroup`'s conditional put of a members item
 * fails there and finds the link, so the pair never gets a second conversation. It has no `members` (nobody is a
 * member of the derived id, which never holds a message) and no `message_group_uuid` attribute: an item with one
 * enters the sparse GSI `message-group-sk-index`, where Pattern D would take it for a conversation row.
 */
export const PAIR_LINK_ATTRIBUTE = 'linked_message_group_uuid'

/** The stored pair link of `pairGroupUuid` (the derived id) to `linkedGroupUuid`: its key and the link, nothing else. */
export function pairLinkItem(pairGroupUuid: string, linkedGroupUuid: string): Record<string, string> {
  return { pk: messagePk(pairGroupUuid), sk: MEMBERS_SK, [PAIR_LINK_ATTRIBUTE]: linkedGroupUuid }
}

/**
 * The conversation a members-slot item links to, or `undefined` when it is not a pair link. Reads a plain item (the
 * document client's) or a marshalled one (a transaction's `CancellationReasons[].Item`).
 */
export const linkedGroupOf = (item: Record<string, unknown> | undefined): string | undefined => stringAttribute(item, PAIR_LINK_ATTRIBUTE)

/** A string attribute of a plain item (the document client's) or a marshalled one (a transaction's cancellation). */
export function stringAttribute(item: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = item?.[name]
  if (typeof value === 'string') return value
  const marshalled = typeof value === 'object' && value !== null ? (value as { S?: unknown }).S : undefined
  return typeof marshalled === 'string' ? marshalled : undefined
}

/** The members slot of `messageGroupUuid`, read strongly consistently: a members item, a pair link, or `undefined`. */
export async function readMembersSlot(store: StoreContext, messageGroupUuid: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await store.documentClient.send(
    new GetCommand({ TableName: store.tableName, Key: { pk: messagePk(messageGroupUuid), sk: MEMBERS_SK }, ConsistentRead: true })
  )
  return Item
}
