import type { Command } from 'commander'
import { participantArgument, participantsArgument, type ParticipantRef } from '../arguments.js'
import { resolveTarget, withConnectionOptions } from '../connection.js'
import { formatCapacity } from '../format.js'
import { note, print, printJson } from '../output.js'
import { resolveParticipant } from '../resolveUser.js'
import { withMessaging } from '../withMessaging.js'

/** `create-group`: a group, its owner and members, through the library's createGroup. */
export function registerCreateGroup(program: Command): void {
  withConnectionOptions(
    program
      .command('create-group')
      .summary('start a group conversation')
      .description(
        'start a group: its conversation item, then every member\'s membership item and row (transactions of up to ' +
          '49 members), the owner first; with --message, its first message from the owner. Members are handles ' +
          '(a seed user, or one the table already names) or uuid:handle:Display Name'
      )
      .argument('<owner>', 'who creates and owns it: a handle, or uuid:handle:Display Name', participantArgument)
      .requiredOption('--title <title>', 'the title, 1 to 100 characters')
      .requiredOption('--member <member>', 'a member besides the owner (repeat it)', participantsArgument)
      .option('--message <text>', "a first message from the owner")
      .option('--json', "print the library's CreateGroupResult as JSON")
  )
    .addHelpText('after', '\nExample (seed users):\n  $ npx dynamo-messaging create-group ada --title Launch --member ben --member cleo --message Welcome!')
    .action(async (owner: ParticipantRef, options: { title: string; member: ParticipantRef[]; message?: string; json?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const { result, usage } = await withMessaging(target, async (messaging, client) => {
        const creator = await resolveParticipant(client, target, owner)
        const members = []
        for (const member of options.member) members.push(await resolveParticipant(client, target, member))
        return messaging.createGroup({ creator, members, title: options.title, ...(options.message !== undefined && { message: options.message }) })
      }, { writes: true })
      if (options.json) printJson(result)
      else print(`created group ${result.messageGroupUuid} with ${result.memberCount} members`)
      note(formatCapacity(usage))
    })
}
