import type { MessagingContext } from '../context.js'
import { queryGroupRows } from '../patterns/queryGroupRows.js'
import { readMembersSlot } from '../table/pairLink.js'
import { conversationMessages } from './conversationMessages.js'

/**
 * Whether the table holds anything of `messageGroupUuid`: a message, its members item, or a conversation row. A
 * repair of one named conversation needs at least one of them; none means the id is not this table's (a typo, another
 * table), which the caller reports rather than "repairing" nothing.
 */
export async function holdsConversation(ctx: MessagingContext, messageGroupUuid: string): Promise<boolean> {
  const messages = conversationMessages(ctx, messageGroupUuid, { newestFirst: true, pageSize: 1 })
  const hasMessage = !(await messages.next()).done
  await messages.return(undefined)
  if (hasMessage) return true
  if ((await readMembersSlot(ctx, messageGroupUuid)) !== undefined) return true
  return (await queryGroupRows(ctx, messageGroupUuid)).length > 0
}
