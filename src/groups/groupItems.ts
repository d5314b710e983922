import { CONVERSATION_SK, memberSk, messagePk, rowKey } from '../keys/keys.js'
import { storedReadState } from '../inbox/readState.js'
import type { GroupRole, Participant } from '../types.js'

/** Where a new member's row starts: the group's newest message (or its creation), read up to it. */
export interface JoinPoint {
  /** The sort key of the newest message, or of the group's creation before its first message. */
  sk: string
  /** That message's text and sender, when there is one. */
  message?: { text: string; sender: Participant }
}

/**
 * The items one member adds to a group: their membership item and their row, both only if absent. The row starts at
 * `at`, read up to it (`read`: the default, a member added to a group) or with `at`'s message unread (the members a
 * group starts with, its first message from its creator).
 */
export function memberPuts(
  tableName: string,
  messageGroupUuid: string,
  member: Participant,
  role: GroupRole,
  joinedAt: string,
  at: JoinPoint,
  read = true
) {
  const absent = { ConditionExpression: 'attribute_not_exists(pk)' }
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          pk: messagePk(messageGroupUuid),
          sk: memberSk(member.uuid),
          user_display_name: member.displayName,
          user_handle: member.handle,
          role,
          joined_at: joinedAt
        },
        ...absent
      }
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...rowKey(member.uuid, messageGroupUuid),
          kind: 'group',
          last_sk: at.sk,
          ...(at.message && {
            message: at.message.text,
            sender_uuid: at.message.sender.uuid,
            sender_display_name: at.message.sender.displayName,
            sender_handle: at.message.sender.handle
          }),
          ...storedReadState(member.uuid, read || !at.message ? { marker: at.sk, count: 0 } : { count: 1 }),
          rev: 1
        },
        ...absent
      }
    }
  ]
}

/** The group's member count moved by `by`, only while the group stays within `max` members (and is a group). */
export function memberCountUpdate(tableName: string, messageGroupUuid: string, by: number, max: number) {
  return {
    Update: {
      TableName: tableName,
      Key: { pk: messagePk(messageGroupUuid), sk: CONVERSATION_SK },
      UpdateExpression: 'ADD member_count :by',
      ConditionExpression: '#kind = :group AND member_count <= :most',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':by': by, ':group': 'group', ':most': max - Math.max(by, 0) }
    }
  }
}

/** A check, inside a transaction, that the acting member still has one of `roles`. */
export function roleCheck(tableName: string, messageGroupUuid: string, userUuid: string, roles: readonly GroupRole[]) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: { pk: messagePk(messageGroupUuid), sk: memberSk(userUuid) },
      ConditionExpression: `#role IN (${roles.map((_, index) => `:role${index}`).join(', ')})`,
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: Object.fromEntries(roles.map((role, index) => [`:role${index}`, role]))
    }
  }
}
