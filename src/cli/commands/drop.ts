import type { Command } from 'commander'
import { confirmByTableName } from '../confirm.js'
import { resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { describeTarget } from '../errors.js'
import { print } from '../output.js'

/** `drop`: the seeds' `bin/ddb/drop`, with a guard before deleting a production table. */
export function registerDrop(program: Command): void {
  withConnectionOptions(
    program
      .command('drop')
      .summary('delete the table (asks first with --prod)')
      .description(
        'delete the table and wait until it is gone; with --prod, asks you to type the table name ' +
          '(without a terminal it refuses unless --yes)'
      )
      .option('-y, --yes', 'do not ask for confirmation')
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging drop\n  $ npx dynamo-messaging drop --prod --table cruddur-messages')
    .action(async (options: { yes?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      // Decided before any client exists: a refused drop never contacts AWS.
      if (target.prod && !options.yes) {
        await confirmByTableName(target, {
          warning: `This deletes table "${target.tableName}" in ${describeTarget(target)} and all its data.`,
          verb: 'drop',
          nothingDone: 'nothing was deleted'
        })
      }
      await withClient(target, async (client) => {
        const { DeleteTableCommand, waitUntilTableNotExists } = await import('@aws-sdk/client-dynamodb')
        await client.send(new DeleteTableCommand({ TableName: target.tableName }))
        await waitUntilTableNotExists({ client, maxWaitTime: 300, minDelay: 2, maxDelay: 10 }, { TableName: target.tableName })
      })
      print(`dropped table ${target.tableName} at ${describeTarget(target)}`)
    })
}
