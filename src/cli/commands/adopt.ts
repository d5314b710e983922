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
        .summary("migrate a table the bootcamp's code or the library's 0.2 made to this version's layout")
        .description(
          "migrate a table the bootcamp's code or this library's 0.2 made, in place (messages untouched): turn its " +
            'stream on (NEW_IMAGE) and create inbox-index and unread-index, or say exactly what is wrong and change ' +
            'nothing; give every conversation its conversation item, a membership item per member and one row per ' +
            'member rebuilt from its newest message (read state carried over, counts recounted), deleting the old rows ' +
            'and #MEMBERS items, one transaction per conversation; link each pair to its conversation. Reads the whole ' +
            'table. Safe to run again, and to stop and run again; reports old-layout items written after an earlier ' +
            'run; --prod asks before writing'
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
            'indexes, write conversation, membership and row items and pair links, and delete the old rows and #MEMBERS items.'
        },
        async (client, options) => {
          const { adoptTable } = await import('../../admin/index.js')
          return adoptTable({ client, ...options })
        },
        (result, where) => renderAdoptReport(result, where, target.tableName)
      )
    })
}
