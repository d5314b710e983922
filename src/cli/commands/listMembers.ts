import type { Command } from 'commander'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { MEMBER_SK_PREFIX, messagePk, parseMemberSk } from '../../keys/keys.js'
import type { GroupMember } from '../../types.js'
import { MAX_PAGE_SIZE } from '../../validation/validate.js'
import { uuidArgument } from '../arguments.js'
import { resolveTarget, withConnectionOptions } from '../connection.js'
import { formatCapacity, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { renderMembers } from '../views.js'
import { withMessaging } from '../withMessaging.js'

/** `list-members`: every member of a conversation, with roles and read markers, through the library's listMembers. */
export function registerListMembers(program: Command): void {
  withConnectionOptions(
    program
      .command('list-members')
      .summary("a conversation's members, roles and read markers")
      .description(
        "every member of a group (or direct conversation): role, when they joined, and the newest message they have " +
          'read, all pages; read as its first member (listMembers answers members only), so an empty group lists nobody'
      )
      .argument('<message_group_uuid>', 'the conversation', uuidArgument)
      .option('--json', "print the members as a JSON array (the library's GroupMember objects)")
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging list-members <message_group_uuid>')
    .action(async (messageGroupUuid: string, options: { json?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const { result: members, usage } = await withMessaging(target, async (messaging, client) => {
        const viewerUuid = await anyMember(client, target.tableName, messageGroupUuid)
        const all: GroupMember[] = []
        let cursor: string | undefined
        while (viewerUuid) {
          const page = await messaging.listMembers({ messageGroupUuid, viewerUuid, limit: MAX_PAGE_SIZE, ...(cursor && { cursor }) })
          all.push(...page.items)
          if (!(cursor = page.cursor)) break
        }
        return all
      })
      if (options.json) printJson(members)
      else if (members.length > 0) print(renderMembers(members))
      note(`${plural(members.length, 'member')} in ${messageGroupUuid}`)
      note(formatCapacity(usage))
    })
}

/** One member's uuid (the first membership item), or none: an operator is no member, and listMembers wants one. */
async function anyMember(client: DynamoDBClient, tableName: string, messageGroupUuid: string): Promise<string | undefined> {
  const { DynamoDBDocumentClient, QueryCommand } = await import('@aws-sdk/lib-dynamodb')
  const { Items = [] } = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':member': MEMBER_SK_PREFIX },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
      Limit: 1
    })
  )
  const sk = Items[0]?.sk
  return typeof sk === 'string' ? parseMemberSk(sk) : undefined
}
