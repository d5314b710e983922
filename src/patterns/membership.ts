import type { MessagingContext } from '../context.js'
import { parseMessageGroupPk } from '../keys/keys.js'
import { queryGroupRows } from './queryGroupRows.js'
import { readMembers } from './readMembers.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { NotAMemberError } from '../errors/NotAMemberError.js'
import type { Participant } from '../types.js'
import { readMembersThrough } from '../cache/readMembersThrough.js'
import type { CachedValue } from '../cache/lookupPage.js'

/**
 * The participants of a conversation, or `undefined` when it does not exist.
 *
 * One strongly consistent GetItem of the members item: O(1) whatever the number of conversations; with a cache, none
 * once the members are cached (they never change). Conversations written by the bootcamp code have no members item
 * (until `adoptTable` writes one); for those the participants come from their group rows through the GSI (eventually
 * consistent, the only index there is for them), never cached. The id of a pair linked to an adopted conversation
 * holds a pair link, not members, and no rows: it is answered like an unknown id.
 *
 * @param prefetched the cached members value, when a page lookup already read it
 */
export async function readParticipants(
  ctx: MessagingContext,
  messageGroupUuid: string,
  prefetched?: CachedValue
): Promise<Participant[] | undefined> {
  const readItem = () => readMembers(ctx, messageGroupUuid)
  const members = ctx.cache ? await readMembersThrough(ctx.cache, messageGroupUuid, prefetched, readItem) : await readItem()
  if (members) return members
  const rows = await queryGroupRows(ctx, messageGroupUuid)
  return rows.length > 0 ? participantsFromRows(rows) : undefined
}

/** Each row names its owner (pk) and describes the other participant, so two rows name both people fully. */
function participantsFromRows(rows: StoredMessageGroupRow[]): Participant[] {
  const byUuid = new Map<string, Participant>()
  for (const row of rows) {
    const owner = parseMessageGroupPk(row.pk)
    if (owner && !byUuid.has(owner)) byUuid.set(owner, { uuid: owner, displayName: '', handle: '' })
    byUuid.set(row.user_uuid, { uuid: row.user_uuid, displayName: row.user_display_name, handle: row.user_handle })
  }
  return [...byUuid.values()]
}

/**
 * The conversation's participants, after checking that `userUuid` is one of them.
 * @throws {@link NotAMemberError} when the user is not a participant, or no such conversation exists: one error for
 *   both, so that callers cannot tell a stranger which pairs talk.
 */
export async function assertParticipant(
  ctx: MessagingContext,
  messageGroupUuid: string,
  userUuid: string,
  prefetched?: CachedValue
): Promise<Participant[]> {
  const participants = await readParticipants(ctx, messageGroupUuid, prefetched)
  if (!participants?.some((participant) => participant.uuid === userUuid)) {
    throw new NotAMemberError(messageGroupUuid, userUuid)
  }
  return participants
}
