import type { Command } from 'commander'
import type { Message } from '../../types.js'
import { MAX_PAGE_SIZE } from '../../validation/validate.js'
import { uuidArgument } from '../arguments.js'
import { meterCapacity } from '../capacityMeter.js'
import { resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { formatCapacity, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { renderMessages } from '../views.js'
import { openCliCache, withCacheOption } from '../cacheOption.js'

/** `get-conversation`: Pattern A through the library, every page, printed oldest first like a chat. */
export function registerGetConversation(program: Command): void {
  withCacheOption(withConnectionOptions(
    program
      .command('get-conversation')
      .summary("Pattern A: a conversation's messages")
      .description(
        "Pattern A: every message of one conversation (Query on MSG#<uuid>, all pages), oldest first, " +
          'and the read capacity it consumed'
      )
      .argument('<message_group_uuid>', 'the conversation', uuidArgument)
      .option('--json', 'print the messages as a JSON array (the library\'s Message objects)')
  ))
    .addHelpText(
      'after',
      '\nExample (a seeded conversation, ada and ben):\n' +
        '  $ npx dynamo-messaging get-conversation d5dd6c04-ba50-5109-b117-5854282b0cab'
    )
    .action(async (messageGroupUuid: string, options: { json?: boolean; redisUrl?: string }, command: Command) => {
      const target = resolveTarget(command)
      const cache = await openCliCache(options.redisUrl)
      const { messages, pages, usage } = await withClient(target, async (client) => {
        const meter = meterCapacity(client)
        const { createMessaging } = await import('../../createMessaging.js')
        const messaging = createMessaging({ client, tableName: target.tableName, ...cache.options })
        const newestFirst: Message[] = []
        let pageCount = 0
        let cursor: string | undefined
        do {
          const page = await messaging.listMessages({ messageGroupUuid, limit: MAX_PAGE_SIZE, ...(cursor && { cursor }) })
          newestFirst.push(...page.items)
          pageCount++
          cursor = page.cursor
        } while (cursor)
        return { messages: newestFirst.reverse(), pages: pageCount, usage: meter.snapshot() }
      }).finally(cache.close)
      if (options.json) printJson(messages)
      else if (messages.length > 0) print(renderMessages(messages))
      note(`${plural(messages.length, 'message')} in conversation ${messageGroupUuid} (${plural(pages, 'page')})`)
      note(formatCapacity(usage))
      const hits = cache.summary()
      if (hits) note(hits)
    })
}
