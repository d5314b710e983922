import type { Command } from 'commander'
import { resolveTarget, withConnectionOptions } from '../connection.js'
import { describeTarget } from '../errors.js'
import { renderAdoptReport } from '../maintenance/renderReport.js'
import { runMaintenance, withMaintenanceOptions, type MaintenanceFlags } from '../maintenance/runMaintenance.js'

/** `adopt`: a table the bootcamp's code made, taken to a working deployment of the library (adoptTable). */
export function registerAdopt(program: Command): void {
  withMaintenanceOptions(
    withConnectionOptions(
      program
        .command('adopt')
        .summary("take a bootcamp table to the library's layout: stream, members items, pair links, rows")
        .description(
          'adopt a table the bootcamp code made (or any table of this layout), in place: turn its stream on (NEW_IMAGE) ' +
            'and create missing indexes, or say exactly what is wrong and change nothing; write a members item for ' +
            'each conversation that has none; repair every conversation row (as repair --all); link each pair to its ' +
            'conversation so starting a conversation with someone continues it. Reads the whole table. Safe to run ' +
            'again, and to stop and run again; --prod asks before writing'
        )
    )
  )
    .addHelpText(
      'after',
      '\nExample:\n  $ npx dynamo-messaging adopt --dry-run\n  $ npx dynamo-messaging adopt\n' +
        '  $ AWS_PROFILE=my-profile npx dynamo-messaging adopt --prod --region eu-west-1 --concurrency 2'
    )
    .action(async (flags: MaintenanceFlags, command: Command) => {
      const target = resolveTarget(command)
      await runMaintenance(
        target,
        flags,
        {
          verb: 'adopt',
          warning:
            `This adopts table "${target.tableName}" in ${describeTarget(target)}: it may turn its stream on, create ` +
            'indexes, and write members items, pair links and conversation rows.'
        },
        async (client, options) => {
          const { adoptTable } = await import('../../admin/index.js')
          return adoptTable({ client, ...options })
        },
        renderAdoptReport
      )
    })
}
