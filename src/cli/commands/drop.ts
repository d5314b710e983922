import type { Command } from 'commander'
import { confirmByTableName, refuseWithoutTerminal } from '../confirm.js'
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
      const ask = target.prod && !options.yes
      // Decided before any client exists: a drop that cannot be confirmed never contacts AWS.
      if (ask) refuseWithoutTerminal(target, { verb: 'drop' })
      await withClient(
        target,
        async (client) => {
          // Asked after the account and region are shown (withClient), so the person knows what they confirm.
          if (ask) {
            await confirmByTableName(target, {
              warning: `This deletes table "${target.tableName}" in ${describeTarget(target)} and all its data.`,
              verb: 'drop',
              nothingDone: 'nothing was deleted'
            })
          }
          const { DeleteTableCommand, waitUntilTableNotExists } = await import('@aws-sdk/client-dynamodb')
          await client.send(new DeleteTableCommand({ TableName: target.tableName }))
          await waitUntilTableNotExists({ client, maxWaitTime: 300, minDelay: 2, maxDelay: 10 }, { TableName: target.tableName })
        },
        { writes: true }
      )
      print(`dropped table ${target.tableName} at ${describeTarget(target)}`)
    })
}
