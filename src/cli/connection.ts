import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { DEFAULT_TABLE_NAME } from '../table/tableDefinition.js'
import { CliError, type Target } from './errors.js'

/** DynamoDB Local's port in the seeds' setup (and the default of `dynamo-messaging local`). */
export const DEFAULT_ENDPOINT = 'http://localhost:8000'
export const DEFAULT_REGION = 'us-east-1'

/** The options every table command takes, parsed. */
export interface ConnectionOptions {
  endpoint: string
  region: string
  table: string
  prod?: boolean
}

/** Adds `--endpoint`, `--region`, `--table` and `--prod` to a command, so each command's `--help` lists them. */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--endpoint <url>', 'DynamoDB endpoint (ignored with --prod)')
        .env('DYNAMODB_ENDPOINT')
        .default(DEFAULT_ENDPOINT)
        .argParser(parseEndpoint)
    )
    .addOption(
      new Option('--region <region>', "AWS region (with --prod, by default the AWS SDK's: AWS_REGION, then the profile's)")
        .env('AWS_REGION')
        .default(DEFAULT_REGION)
    )
    .addOption(new Option('--table <name>', 'table name').default(DEFAULT_TABLE_NAME).argParser(parseTableName))
    .addOption(new Option('--prod', 'use real AWS: no endpoint override, the normal AWS credential chain'))
}

/**
 * With `--prod` and neither `--region` nor `AWS_REGION`, the region is the one the SDK itself would use: the profile's
 * `region` in the shared config files (`AWS_PROFILE`, `AWS_CONFIG_FILE`), then, on EC2, the instance's. It is stored as
 * the command's `--region`, so the client and every message name the same region. Reads files; contacts no AWS
 * service. No region anywhere is an error, as it is for the SDK: guessing one would touch the wrong tables.
 */
export async function resolveProdRegion(command: Command): Promise<void> {
  if (command.opts<ConnectionOptions>().prod !== true || command.getOptionValueSource('region') !== 'default') return
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb')
  const client = new DynamoDBClient({})
  try {
    command.setOptionValueWithSource('region', await client.config.region(), 'config')
  } catch (error) {
    if ((error as Error).message !== 'Region is missing') throw error
    throw new CliError(
      'no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile (~/.aws/config; AWS_PROFILE picks the profile)'
    )
  } finally {
    client.destroy()
  }
}

/**
 * Where the command goes. Local use never reads real credentials (dummy `local`/`local`, as DynamoDB Local accepts any),
 * so a typo cannot send local test data to an AWS account.
 */
export function resolveTarget(command: Command): Target {
  const options = command.opts<ConnectionOptions>()
  const prod = options.prod === true
  if (prod && command.getOptionValueSource('endpoint') === 'cli') {
    throw new CliError('--prod and --endpoint cannot be used together')
  }
  return { prod, region: options.region, tableName: options.table, ...(!prod && { endpoint: options.endpoint }) }
}

/**
 * A client for `target`. The SDK is loaded here, not at start-up: `--help` and usage errors answer without it.
 */
export async function createClient(target: Target): Promise<DynamoDBClient> {
  if (target.prod) {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb')
    return new DynamoDBClient({ region: target.region })
  }
  const { localDynamoDbClient } = await import('../local/localDynamoDbClient.js')
  return localDynamoDbClient(target.endpoint!, { region: target.region })
}

/**
 * Runs `action` with a client and always releases its sockets, so the process can end on its own. A command that
 * `writes` first names the AWS account and region with `--prod` (see announceAwsTarget).
 */
export async function withClient<T>(
  target: Target,
  action: (client: DynamoDBClient) => Promise<T>,
  options: { writes?: boolean } = {}
): Promise<T> {
  const client = await createClient(target)
  try {
    if (target.prod && options.writes) {
      const { announceAwsTarget } = await import('./announceAwsTarget.js')
      await announceAwsTarget(client, target)
    }
    return await action(client)
  } finally {
    client.destroy()
  }
}

function parseEndpoint(value: string): string {
  return parseUrl(value, ['http:', 'https:'], 'http://localhost:8000', 'an http(s) URL').replace(/\/+$/, '')
}

/** A commander check that `value` is a URL with one of `protocols`: `value` as given, or a one-line usage error. */
export function parseUrl(value: string, protocols: readonly string[], example: string, kind: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidArgumentError(`expected a URL such as ${example}`)
  }
  if (!protocols.includes(url.protocol)) throw new InvalidArgumentError(`expected ${kind}`)
  return value
}

function parseTableName(value: string): string {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(value)) {
    throw new InvalidArgumentError("expected 3 to 255 letters, digits, '_', '-' or '.'")
  }
  return value
}

/** A commander parser for a whole number in `[min, max]`. */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`)
    }
    return number
  }
}
