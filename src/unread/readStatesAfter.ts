import { compare } from '../keys/compare.js'
import type { GroupUpdatePlan } from '../patterns/planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { participantReadState, type ParticipantReadState } from './readState.js'

/** Each owner's read state once `plan` is written over the `rows` it was decided from (their newest row). Pure. */
export function readStatesAfter(
  rows: readonly StoredMessageGroupRow[],
  plan: GroupUpdatePlan,
  messageGroupUuid: string
): ParticipantReadState[] {
  const deleted = new Set(plan.deletes.map((key) => `${key.pk}\n${key.sk}`))
  const newest = new Map<string, { pk: string; sk: string; last_read_sk?: unknown; unread_count?: unknown }>()
  const consider = (row: StoredMessageGroupRow) => {
    const current = newest.get(row.pk)
    if (!current || compare(row.sk, current.sk) > 0) newest.set(row.pk, row)
  }
  for (const row of rows) if (row.message_group_uuid === messageGroupUuid && !deleted.has(`${row.pk}\n${row.sk}`)) consider(row)
  for (const put of plan.puts) consider(put)
  for (const update of plan.updates ?? []) {
    if (newest.get(update.pk)?.sk === update.sk) newest.set(update.pk, { pk: update.pk, sk: update.sk, ...update.readState })
  }
  return [...newest.values()].map(participantReadState).sort((a, b) => compare(a.userUuid, b.userUuid))
}
