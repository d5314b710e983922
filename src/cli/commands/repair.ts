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
        .summary('bring conversation rows back in line with the messages and members (one, a user, or all)')
        .description(
          "bring each member's conversation row to the conversation's newest message with its unread count recounted, " +
            "through Pattern D's own planner and conditional updates (never backwards, safe while the stream function " +
            'runs); rebuild a missing row while its owner is a member; delete a row of someone who is not a member. ' +
            'Counts what it corrects in place. For a stream outage longer than 24 hours, batches in the on-failure ' +
            'queue, or rows written by other code. --all scans the whole table; --prod asks before writing'
        )
        .option('--conversation <uuid>', "one conversation (its members' rows)", uuidArgument)
        .option('--user <user>', "every conversation of one user (uuid or handle), also one whose row of theirs was deleted", userArgument)
        .option('--all', 'every conversation (a Scan of the whole table; also finds rows of non-members)')
    )
  )
    .addHelpText(
      'after',
      '\nExample:\n  $ npx dynamo-messaging repair --all --dry-run\n  $ npx dynamo-messaging repair --user ada\n' +
        '  $ npx dynamo-messaging repair --conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
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
          warning: `This repairs ${described} of table "${target.tableName}" in ${describeTarget(target)}: it updates, rebuilds and deletes conversation rows.`
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
                '(no message, conversation item or membership item): nothing to repair'
            )
          }
          return result
        },
        (result, where) => renderRepairReport(result, where, described)
      )
    })
}
