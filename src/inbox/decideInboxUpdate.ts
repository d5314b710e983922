import type { StoreContext } from '../createStoreContext.js'
import type { MessageRange } from './messageRange.js'
import { planInboxUpdate, type InboxPlan, type InboxView } from './planInboxUpdate.js'
import { readMessageRange } from './readMessageRange.js'

/**
 * {@link planInboxUpdate} run to its end: the messages each plan asks for are read (strongly consistently, newest
 * first, only as far as the decision needs) and it plans again, until it says what to write.
 */
export async function decideInboxUpdate(
  store: StoreContext,
  messageGroupUuid: string,
  view: InboxView
): Promise<Extract<InboxPlan, { kind: 'write' }>> {
  let plan = planInboxUpdate(view)
  let range: MessageRange | undefined
  while (plan.kind === 'read') {
    range = await readMessageRange(store, messageGroupUuid, plan.bounds, (partial) => planInboxUpdate({ ...view, range: partial }).kind === 'write')
    plan = planInboxUpdate({ ...view, range })
  }
  return plan
}
