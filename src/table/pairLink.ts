import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { CONVERSATION_SK, messagePk } from '../keys/keys.js'

/**
 * A pair link sits in the conversation slot (`MSG#<id>`, `#CONVERSATION`) of the id the library gives a pair
 * (`messageGroupUuidFor(a, b)`) and names the conversation the pair already had (a bootcamp conversation, random id,
 * adopted by `adoptTable`). Because it takes that slot, `createMessageGroup`'s conditional put of a conversation item
 * fails there and finds the link, so the pair never gets a second conversation. Nobody is a member of the derived id,
 * which never holds a message.
 */
export const PAIR_LINK_ATTRIBUTE = 'linked_message_group_uuid'

/** The stored pair link of `pairGroupUuid` (the derived id) to `linkedGroupUuid`: its key and the link, nothing else. */
export function pairLinkItem(pairGroupUuid: string, linkedGroupUuid: string): Record<string, string> {
  return { pk: messagePk(pairGroupUuid), sk: CONVERSATION_SK, [PAIR_LINK_ATTRIBUTE]: linkedGroupUuid }
}

/**
 * The conversation a conversation-slot item links to, or `undefined` when it is not a pair link. Reads a plain item (the
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

/** The conversation slot of `messageGroupUuid`, read strongly consistently: its item, a pair link, or `undefined`. */
export async function readConversationSlot(store: StoreContext, messageGroupUuid: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await store.documentClient.send(
    new GetCommand({ TableName: store.tableName, Key: { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK }, ConsistentRead: true })
  )
  return Item
}
