import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SAMPLE_USERS } from '../local/sampleUsers.js'
import { INBOX_INDEX } from '../table/tableDefinition.js'
import type { UserRef } from './arguments.js'
import { CliError, type Target } from './errors.js'

/**
 * A user's uuid from a command-line `<user>`: a uuid as it is, a seed user's handle without reading the table (not
 * with --prod), any other handle by scanning the index (see {@link resolveHandle}).
 */
export async function resolveUser(client: DynamoDBClient, target: Target, user: UserRef): Promise<string> {
  return 'uuid' in user ? user.uuid : resolveHandle(client, target, user.handle)
}

/**
 * A handle's user uuid. Handles live with the app's users (PostgreSQL in Cruddur), not in this table; the only place
 * the table names them is the other participant's conversation row, so this scans the sparse `inbox-index`
 * (conversation rows only, never messages) until one row matches.
 */
async function resolveHandle(client: DynamoDBClient, target: Target, handle: string): Promise<string> {
  const seedUser = Object.values(SAMPLE_USERS).find((candidate) => candidate.handle === handle)
  // A real account may share a seed handle, so production always reads the table.
  if (seedUser && !target.prod) return seedUser.uuid
  const { DynamoDBDocumentClient, ScanCommand } = await import('@aws-sdk/lib-dynamodb')
  const doc = DynamoDBDocumentClient.from(client)
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: target.tableName,
        IndexName: INBOX_INDEX,
        FilterExpression: 'user_handle = :handle',
        ProjectionExpression: 'user_uuid',
        ExpressionAttributeValues: { ':handle': handle },
        ExclusiveStartKey
      })
    )
    const found = page.Items?.find((item) => typeof item.user_uuid === 'string')
    if (found) return found.user_uuid as string
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  throw new CliError(`no conversation in table "${target.tableName}" names the handle "${handle}"; pass the user's uuid instead`)
}
