import { InvalidArgumentError, type Command } from 'commander'
import { isMessageSortKey } from '../../keys/keys.js'
import { userArgument, uuidArgument, type UserRef } from '../arguments.js'
import { meterCapacity } from '../capacityMeter.js'
import { resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { formatCapacity, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { resolveUser } from '../resolveUser.js'

/** `mark-read`: a participant has read a conversation up to a message (default its newest), through the library. */
export function registerMarkRead(program: Command): void {
  withConnectionOptions(
    program
      .command('mark-read')
      .summary('mark a conversation read for one of its participants')
      .description(
        "mark a conversation read for a participant (by uuid or handle, as in list-conversations) up to a message, by " +
          'default the newest: one conditional UpdateItem of their conversation row, never moving the read marker ' +
          'back; prints their unread count afterwards and the capacity consumed'
      )
      .argument('<user>', 'a participant: a user uuid, or a handle', userArgument)
      .argument('<message_group_uuid>', 'the conversation', uuidArgument)
      .option('--up-to <sort_key>', "the sort key of the newest message read (a Message's sortKey); default the newest", sortKeyArgument)
      .option('--json', "print the library's MarkReadResult as JSON")
  )
    .addHelpText(
      'after',
      '\nExample (a seeded conversation, ada and ben):\n' +
        '  $ npx dynamo-messaging mark-read ben d5dd6c04-ba50-5109-b117-5854282b0cab'
    )
    .action(async (user: UserRef, messageGroupUuid: string, options: { upTo?: string; json?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const { result, usage } = await withClient(target, async (client) => {
        const meter = meterCapacity(client)
        const userUuid = await resolveUser(client, target, user)
        const { createMessaging } = await import('../../createMessaging.js')
        const messaging = createMessaging({ client, tableName: target.tableName })
        const read = await messaging.markRead({ messageGroupUuid, userUuid, ...(options.upTo && { upTo: options.upTo }) })
        return { result: read, usage: meter.snapshot() }
      }, { writes: true })
      if (options.json) printJson(result)
      else {
        const who = 'handle' in user ? user.handle : result.userUuid
        const upTo = result.lastReadAt ? ` up to ${result.lastReadAt}` : ''
        const unread = `${plural(result.unreadCount, 'unread message')} left`
        print(result.changed ? `${who} has read ${messageGroupUuid}${upTo}: ${unread}` : `${who} had already read ${messageGroupUuid}${upTo}: ${unread}`)
      }
      note(formatCapacity(usage))
    })
}

/** Commander parser of `--up-to`: a message sort key, as the library checks it. */
function sortKeyArgument(value: string): string {
  if (!isMessageSortKey(value)) throw new InvalidArgumentError("expected a message's sort key, like 2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF")
  return value
}
