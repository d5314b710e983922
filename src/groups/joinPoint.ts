import type { StoreContext } from '../createStoreContext.js'
import { readNewestMessage } from '../table/readNewestMessage.js'
import type { JoinPoint } from './groupItems.js'

/** Where a member joining now starts: the group's newest message (read strongly consistently), or its creation. */
export async function joinPoint(store: StoreContext, messageGroupUuid: string, group: Record<string, unknown>): Promise<JoinPoint> {
  const newest = await readNewestMessage(store, messageGroupUuid)
  if (newest && typeof newest.sk === 'string') {
    const text = typeof newest.message === 'string' ? newest.message : undefined
    return {
      sk: newest.sk,
      ...(text !== undefined && {
        message: {
          text,
          sender: { uuid: String(newest.user_uuid ?? ''), displayName: String(newest.user_display_name ?? ''), handle: String(newest.user_handle ?? '') }
        }
      })
    }
  }
  return { sk: String(group.created_sk ?? group.created_at) }
}
