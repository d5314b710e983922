import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SAMPLE_USERS } from '../local/sampleUsers.js'
import { INBOX_INDEX } from '../table/tableDefinition.js'
import type { Participant } from '../types.js'
import type { ParticipantRef, UserRef } from './arguments.js'
import { CliError, type Target } from './errors.js'

/**
 * A user's uuid from a command-line `<user>`: a uuid as it is, a seed user's handle without reading the table (not
 * with --prod), any other handle by scanning the index (see {@link resolveHandle}).
 */
export async function resolveUser(client: DynamoDBClient, target: Target, user: UserRef): Promise<string> {
  return 'uuid' in user ? user.uuid : (await resolveHandle(client, target, user.handle)).uuid
}

/**
 * A whole participant (uuid, display name, handle) from a command-line `<member>`: given in full as it is; a handle as
 * {@link resolveUser} finds it, with the display name the table last stored for it.
 */
export async function resolveParticipant(client: DynamoDBClient, target: Target, member: ParticipantRef): Promise<Participant> {
  return 'uuid' in member ? member : resolveHandle(client, target, member.handle)
}

/**
 * A handle's user uuid. Handles live with the app's users (PostgreSQL in Cruddur), not in this table; the only place
 * the table names them is the other participant's conversation row, so this scans the sparse `inbox-index`
 * (conversation rows only, never messages) until one row matches.
 */
async function resolveHandle(client: DynamoDBClient, target: Target, handle: string): Promise<Participant> {
  const seedUser = Object.values(SAMPLE_USERS).find((candidate) => candidate.handle === handle)
  // A real account may share a seed handle, so production always reads the table.
  if (seedUser && !target.prod) return seedUser
  const { DynamoDBDocumentClient, ScanCommand } = await import('@aws-sdk/lib-dynamodb')
  const doc = DynamoDBDocumentClient.from(client)
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: target.tableName,
        IndexName: INBOX_INDEX,
        FilterExpression: 'user_handle = :handle',
        ProjectionExpression: 'user_uuid, user_display_name',
        ExpressionAttributeValues: { ':handle': handle },
        ExclusiveStartKey
      })
    )
    const found = page.Items?.find((item) => typeof item.user_uuid === 'string')
    if (found) return { uuid: found.user_uuid as string, handle, displayName: typeof found.user_display_name === 'string' ? found.user_display_name : handle }
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  throw new CliError(`no conversation in table "${target.tableName}" names the handle "${handle}"; pass the user's uuid instead (for a group member: uuid:handle:Display Name)`)
}
