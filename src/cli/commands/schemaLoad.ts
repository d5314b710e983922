import type { Command } from 'commander'
import { INBOX_INDEX, tableDefinition, UNREAD_INDEX } from '../../table/tableDefinition.js'
import { resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { CliError, describeTarget } from '../errors.js'
import { print } from '../output.js'

/** `schema-load`: the seeds' `bin/ddb/schema-load`, from the library's own `tableDefinition()`. */
export function registerSchemaLoad(program: Command): void {
  withConnectionOptions(
    program
      .command('schema-load')
      .summary('create the messaging table (GSIs and stream included)')
      .description(
        `create the messaging table: pk/sk, GSIs ${INBOX_INDEX} and ${UNREAD_INDEX}, NEW_IMAGE stream; ` +
          'provisioned 5 RCU / 5 WCU unless --on-demand; waits until it is ACTIVE'
      )
      .option('--on-demand', 'pay per request instead of provisioned capacity')
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging schema-load\n  $ npx dynamo-messaging schema-load --table chat-dev --on-demand')
    .action(async (options: { onDemand?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const billing = options.onDemand ? 'on-demand' : 'provisioned'
      await withClient(target, async (client) => {
        const { CreateTableCommand, waitUntilTableExists } = await import('@aws-sdk/client-dynamodb')
        let status: string | undefined
        try {
          const created = await client.send(new CreateTableCommand(tableDefinition({ tableName: target.tableName, billing })))
          status = created.TableDescription?.TableStatus
        } catch (error) {
          if ((error as Error).name === 'ResourceInUseException') {
            throw new CliError(
              `table "${target.tableName}" already exists at ${describeTarget(target)} ` +
                '(drop it first with `dynamo-messaging drop`, or pick another --table)'
            )
          }
          throw error
        }
        // On AWS a new table is CREATING for a few seconds; DynamoDB Local answers ACTIVE at once.
        if (status !== 'ACTIVE') {
          await waitUntilTableExists({ client, maxWaitTime: 300, minDelay: 2, maxDelay: 10 }, { TableName: target.tableName })
        }
        const capacity = billing === 'on-demand' ? 'on-demand' : 'provisioned 5 RCU / 5 WCU'
        print(
          `created table ${target.tableName} at ${describeTarget(target)}: ${capacity}, ` +
            `GSIs ${INBOX_INDEX} and ${UNREAD_INDEX}, stream NEW_IMAGE; ACTIVE`
        )
      }, { writes: true })
    })
}
