import type { Command } from 'commander'
import { INBOX_INDEX } from '../../table/tableDefinition.js'
import type { MessageGroup } from '../../types.js'
import { MAX_PAGE_SIZE } from '../../validation/validate.js'
import { userArgument, type UserRef } from '../arguments.js'
import { meterCapacity } from '../capacityMeter.js'
import { resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { formatCapacity, formatUnits, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { resolveUser } from '../resolveUser.js'
import { renderConversations } from '../views.js'
import { openCliCache, withCacheOption } from '../cacheOption.js'

/** `list-conversations`: Pattern B through the library, every page, for a user given by uuid or handle. */
export function registerListConversations(program: Command): void {
  withCacheOption(withConnectionOptions(
    program
      .command('list-conversations')
      .summary("Pattern B: a user's conversations (by uuid or handle)")
      .description(
        "Pattern B: a user's conversations (Query on GRP#<uuid> in inbox-index, all pages), newest last message first, with the " +
          "user's unread count in each, and the read capacity it consumed. A handle of a seed user (ada, ben, cleo, " +
          'dana) is known without reading the table (not with --prod); any other handle is looked up by SCANNING the ' +
          `GSI ${INBOX_INDEX} for a conversation row naming it, which reads that index and costs capacity`
      )
      .argument('<user>', 'a user uuid, or a handle', userArgument)
      .option('--json', "print the conversations as a JSON array (the library's MessageGroup objects)")
  ))
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging list-conversations ada\n  $ npx dynamo-messaging list-conversations 7d3c6a52-1f0b-4b8e-9a44-2c1e5f6a7b01')
    .action(async (user: UserRef, options: { json?: boolean; redisUrl?: string }, command: Command) => {
      const target = resolveTarget(command)
      const cache = await openCliCache(options.redisUrl)
      const result = await withClient(target, async (client) => {
        const meter = meterCapacity(client)
        const userUuid = await resolveUser(client, target, user)
        const lookup = meter.snapshot()
        const { createMessaging } = await import('../../createMessaging.js')
        const messaging = createMessaging({ client, tableName: target.tableName, ...cache.options })
        const groups: MessageGroup[] = []
        const seen = new Set<string>()
        let pages = 0
        let cursor: string | undefined
        do {
          const page = await messaging.listMessageGroups({ userUuid, limit: MAX_PAGE_SIZE, ...(cursor && { cursor }) })
          // A page drops duplicate rows (tables the seeds' stream function wrote); these keep it so across pages.
          for (const group of page.items) if (!seen.has(group.messageGroupUuid) && seen.add(group.messageGroupUuid)) groups.push(group)
          pages++
          cursor = page.cursor
        } while (cursor)
        return { userUuid, groups, pages, lookup, total: meter.snapshot() }
      }).finally(cache.close)
      if (options.json) printJson(result.groups)
      else if (result.groups.length > 0) print(renderConversations(result.groups))
      const who = 'handle' in user ? `${user.handle} (${result.userUuid})` : result.userUuid
      note(`${plural(result.groups.length, 'conversation')} of ${who} (${plural(result.pages, 'page')})`)
      const scanned = result.lookup.readUnits > 0 ? ` (${formatUnits(result.lookup.readUnits)} RCU of it for the handle scan)` : ''
      note(formatCapacity(result.total) + scanned)
      const hits = cache.summary()
      if (hits) note(hits)
    })
}
