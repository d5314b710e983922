import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Command } from 'commander'
import { integerOption, resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { describeTarget, type Target } from '../errors.js'
import { plural } from '../format.js'
import { print } from '../output.js'
import { batchPut, type BatchWriter } from '../seed/batchWrite.js'
import { planBulkMessages, type BulkTarget } from '../seed/bulkMessages.js'

/** `seed`: the seeds' `bin/ddb/seed`, written through the library so every row is one it would write itself. */
export function registerSeed(program: Command): void {
  withConnectionOptions(
    program
      .command('seed')
      .summary('write sample conversations between ada, ben, cleo and dana')
      .description(
        'write four short conversations between the seed users ada, ben, cleo and dana, dated over the last four ' +
          'days; a conversation already in the table is skipped, so running it again changes nothing'
      )
      .option(
        '--messages <n>',
        'also write n messages spread over those conversations (last 12 hours) with BatchWriteItem, then move ' +
          'their conversation rows to the newest; added again on every run',
        integerOption(0, 1_000_000),
        0
      )
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging seed\n  $ npx dynamo-messaging seed --messages 300')
    .action(async (options: { messages: number }, command: Command) => {
      const target = resolveTarget(command)
      const now = new Date()
      await withClient(target, async (client) => {
        print(`seeding table ${target.tableName} at ${describeTarget(target)}`)
        const targets = await seedConversations(client, target, now)
        if (options.messages > 0) await seedBulk(client, target, targets, options.messages, now)
      }, { writes: true })
    })
}

/** The sample conversations (skipping those already there), listed as they are written. */
async function seedConversations(client: DynamoDBClient, target: Target, now: Date): Promise<BulkTarget[]> {
  const { seedSampleConversations } = await import('../../local/seedSampleConversations.js')
  const seeded = await seedSampleConversations({ client, tableName: target.tableName, now })
  for (const { messageGroupUuid, participants, written } of seeded) {
    const label = `  ${participants[0].handle} ↔ ${participants[1].handle}`.padEnd(16)
    print(`${label}${messageGroupUuid}  ${written > 0 ? plural(written, 'message') : 'already there, skipped'}`)
  }
  return seeded.map(({ messageGroupUuid, participants }) => ({ messageGroupUuid, participants }))
}

/** `--messages n`: raw message rows in batches of 25, then Pattern D once per conversation. */
async function seedBulk(client: DynamoDBClient, target: Target, targets: BulkTarget[], count: number, now: Date): Promise<void> {
  const started = Date.now()
  const { rows, latest } = planBulkMessages(count, targets, now)
  const [{ default: cliProgress }, { BatchWriteCommand, DynamoDBDocumentClient }, { createMessaging }] = await Promise.all([
    import('cli-progress'),
    import('@aws-sdk/lib-dynamodb'),
    import('../../createMessaging.js')
  ])
  const doc = DynamoDBDocumentClient.from(client)
  // A bar only for a person watching; logs and CI get the summary line alone.
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'writing messages [{bar}] {value}/{total} {eta_formatted}', hideCursor: true },
        cliProgress.Presets.shades_classic
      )
    : undefined
  bar?.start(count, 0)
  let written
  try {
    const write = (RequestItems: Parameters<BatchWriter>[0]) => doc.send(new BatchWriteCommand({ RequestItems }))
    written = await batchPut(write, target.tableName, rows, {
      onWritten: (items) => bar?.increment(items)
    })
  } finally {
    bar?.stop()
  }
  const messaging = createMessaging({ client, tableName: target.tableName })
  let updated = 0
  for (const message of latest) updated += (await messaging.updateMessageGroups(message)).updated
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  print(
    `wrote ${plural(count, 'message')} over ${plural(latest.length, 'conversation')} with BatchWriteItem ` +
      `(${plural(written.requests, 'request')}, ${plural(written.retries, 'retry', 'retries')}) in ${seconds} s; ` +
      `brought ${plural(updated, 'conversation row')} to the newest message`
  )
}
