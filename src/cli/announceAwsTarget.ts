import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Target } from './errors.js'
import { note } from './output.js'

/**
 * With `--prod`, before a command writes: one line on stderr naming the AWS account and region it is about to change,
 * so a wrong profile or region shows before anything is written. The account comes from the table's ARN (a
 * DescribeTable, which needs no STS client and no permission beyond the table's), or, for a table that does not exist
 * yet (`schema-load`), from the credentials when they name it (SSO, a profile's `aws_account_id`, `AWS_ACCOUNT_ID`).
 *
 * @example
 * ```ts
 * await announceAwsTarget(client, target) // AWS account 123456789012, region eu-west-1, table cruddur-messages
 * ```
 */
export async function announceAwsTarget(client: DynamoDBClient, target: Target): Promise<void> {
  note(`AWS account ${await accountOf(client, target)}, region ${target.region}, table ${target.tableName}`)
}

async function accountOf(client: DynamoDBClient, target: Target): Promise<string> {
  let unknown: string
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: target.tableName }))
    const account = Table?.TableArn?.split(':')[4]
    if (account) return account
    unknown = 'DescribeTable named no table ARN'
  } catch (error) {
    const name = (error as Error).name
    unknown = name === 'ResourceNotFoundException' ? 'the table does not exist yet' : `DescribeTable failed: ${name}`
  }
  const { accountId } = await client.config.credentials()
  return accountId ?? `unknown (${unknown}, and the credentials do not name it)`
}
