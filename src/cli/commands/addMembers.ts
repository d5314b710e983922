import type { Command } from 'commander'
import { participantsArgument, userArgument, uuidArgument, type ParticipantRef, type UserRef } from '../arguments.js'
import { resolveTarget, withConnectionOptions } from '../connection.js'
import { formatCapacity, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { resolveParticipant, resolveUser } from '../resolveUser.js'
import { withMessaging } from '../withMessaging.js'

/** `add-members`: members into a group, as its owner or an admin, through the library's addMembers. */
export function registerAddMembers(program: Command): void {
  withConnectionOptions(
    program
      .command('add-members')
      .summary('add members to a group')
      .description(
        'add members to a group on behalf of its owner or an admin (the library checks the role): each one\'s ' +
          'membership item and row, in transactions with the member count; members already in it are skipped'
      )
      .argument('<message_group_uuid>', 'the group', uuidArgument)
      .argument('<by>', 'who adds them (the owner or an admin): a user uuid, or a handle', userArgument)
      .argument('<members...>', 'handles, or uuid:handle:Display Name', participantsArgument)
      .option('--json', "print the library's AddMembersResult as JSON")
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging add-members <message_group_uuid> ada dana')
    .action(async (messageGroupUuid: string, by: UserRef, refs: ParticipantRef[], options: { json?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const { result, usage } = await withMessaging(target, async (messaging, client) => {
        const members = []
        for (const ref of refs) members.push(await resolveParticipant(client, target, ref))
        return messaging.addMembers({ messageGroupUuid, by: await resolveUser(client, target, by), members })
      }, { writes: true })
      if (options.json) printJson(result)
      else print(`added ${plural(result.added.length, 'member')}${result.added.map((member) => ` ${member.handle}`).join('')} to ${messageGroupUuid}`)
      note(formatCapacity(usage))
    })
}
