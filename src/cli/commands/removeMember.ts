import type { Command } from 'commander'
import { userArgument, uuidArgument, type UserRef } from '../arguments.js'
import { resolveTarget, withConnectionOptions } from '../connection.js'
import { formatCapacity } from '../format.js'
import { note, print, printJson } from '../output.js'
import { resolveUser } from '../resolveUser.js'
import { withMessaging } from '../withMessaging.js'

/** `remove-member`: a member out of a group (or leaving it), through the library's removeMember. */
export function registerRemoveMember(program: Command): void {
  withConnectionOptions(
    program
      .command('remove-member')
      .summary('remove a member from a group, or leave it')
      .description(
        'remove a member from a group on behalf of its owner or an admin (only the owner removes an admin), or, with ' +
          '<by> the member themselves, leave it; an owner who leaves hands the group to the longest-standing admin, ' +
          'else the longest-standing member'
      )
      .argument('<message_group_uuid>', 'the group', uuidArgument)
      .argument('<by>', 'who removes: a user uuid, or a handle', userArgument)
      .argument('<member>', 'who is removed: a user uuid, or a handle', userArgument)
      .option('--json', "print the library's RemoveMemberResult as JSON")
  )
    .addHelpText('after', '\nExamples:\n  $ npx dynamo-messaging remove-member <message_group_uuid> ada dana\n  $ npx dynamo-messaging remove-member <message_group_uuid> ben ben   # ben leaves')
    .action(async (messageGroupUuid: string, by: UserRef, member: UserRef, options: { json?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const { result, usage } = await withMessaging(target, async (messaging, client) =>
        messaging.removeMember({ messageGroupUuid, by: await resolveUser(client, target, by), userUuid: await resolveUser(client, target, member) })
      , { writes: true })
      const who = 'handle' in member ? member.handle : member.uuid
      if (options.json) printJson(result)
      else print(result.removed ? `removed ${who} from ${messageGroupUuid}${result.newOwnerUuid ? `; the owner is now ${result.newOwnerUuid}` : ''}` : `${who} was not a member of ${messageGroupUuid}`)
      note(formatCapacity(usage))
    })
}
