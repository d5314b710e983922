import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { MEMBERS_SK, messagePk } from '../keys/keys.js'
import type { Participant } from '../types.js'

/**
 * The conversation's members from its members item (one consistent GetItem), or `undefined` when it has none (the
 * bootcamp code wrote none). Plain document-client reads keep the stream path free of the toolbox entities.
 */
export async function readMembers(store: StoreContext, messageGroupUuid: string): Promise<Participant[] | undefined> {
  const { Item } = await store.documentClient.send(
    new GetCommand({
      TableName: store.tableName,
      Key: { pk: messagePk(messageGroupUuid), sk: MEMBERS_SK },
      ConsistentRead: true,
      ProjectionExpression: 'members'
    })
  )
  if (!Item || !Array.isArray(Item.members)) return undefined
  return (Item.members as Array<Record<string, unknown>>).flatMap((member) =>
    typeof member?.user_uuid === 'string'
      ? [{ uuid: member.user_uuid, displayName: String(member.user_display_name ?? ''), handle: String(member.user_handle ?? '') }]
      : []
  )
}
