import type { Command } from 'commander'
import { userArgument, uuidArgument, type UserRef } from '../arguments.js'
import { resolveTarget, withConnectionOptions } from '../connection.js'
import { CliError, describeTarget } from '../errors.js'
import { renderRepairReport } from '../maintenance/renderReport.js'
import { runMaintenance, withMaintenanceOptions, type MaintenanceFlags } from '../maintenance/runMaintenance.js'
import { resolveUser } from '../resolveUser.js'

interface RepairFlags extends MaintenanceFlags {
  conversation?: string
  user?: UserRef
  all?: boolean
}

/** `repair`: conversation rows brought back in line with the messages (repairTable). */
export function registerRepair(program: Command): void {
  withMaintenanceOptions(
    withConnectionOptions(
      program
        .command('repair')
        .summary('bring conversation rows back in line with the messages (one, a user, or all)')
        .description(
          "recompute each participant's conversation row from the conversation's newest message: move rows left " +
            'behind, remove duplicates, rebuild lost rows, through the same conditional transactions as the stream ' +
            'handler (never backwards, safe while it runs). For a stream outage longer than 24 hours, batches in the ' +
            'on-failure queue, or a table written by other code. --all scans the whole table; --prod asks before writing'
        )
        .option('--conversation <uuid>', 'one conversation', uuidArgument)
        .option('--user <user>', "every conversation of one user (uuid or handle), also one whose row of theirs was lost", userArgument)
        .option('--all', 'every conversation (a Scan of the whole table; also finds conversations that lost every row)')
    )
  )
    .addHelpText(
      'after',
      '\nExample:\n  $ npx dynamo-messaging repair --all --dry-run\n  $ npx dynamo-messaging repair --user ada\n' +
        '  $ npx dynamo-messaging repair --conversation d5dd6c04-ba50-5109-b117-5854282b0cab'
    )
    .action(async (flags: RepairFlags, command: Command) => {
      const chosen = [flags.conversation, flags.user, flags.all].filter((value) => value !== undefined)
      if (chosen.length !== 1) throw new CliError('choose one of --conversation <uuid>, --user <user> or --all')
      const target = resolveTarget(command)
      const described = flags.conversation
        ? `conversation ${flags.conversation}`
        : flags.user
          ? `the conversations of ${'uuid' in flags.user ? flags.user.uuid : flags.user.handle}`
          : 'every conversation'
      await runMaintenance(
        target,
        flags,
        {
          verb: 'repair',
          warning: `This repairs ${described} of table "${target.tableName}" in ${describeTarget(target)}: it moves, removes and rebuilds conversation rows.`
        },
        async (client, options) => {
          const { repairTable } = await import('../../admin/index.js')
          const scope = flags.conversation
            ? { messageGroupUuid: flags.conversation }
            : flags.user
              ? { userUuid: await resolveUser(client, target, flags.user) }
              : ('all' as const)
          const result = await repairTable({ client, ...options, scope })
          // One named conversation that is not there is most likely a typo or the wrong table: say so, and fail.
          if (flags.conversation && result.conversations === 0) {
            throw new CliError(
              `conversation ${flags.conversation} is not in table "${target.tableName}" at ${describeTarget(target)} ` +
                '(no message, members item or conversation row): nothing to repair'
            )
          }
          return result
        },
        (result, where) => renderRepairReport(result, where, described)
      )
    })
}
