import { parseMessageGroupPk } from '../../keys/keys.js'
import type { LatestMessage, Participant } from '../../types.js'
import type { LegacyRow } from '../maintenance/legacyLayout.js'

/** {@link resolveParticipants}'s answer. */
export type ParticipantsVerdict =
  /** Both participants, each with a display name and a handle, in uuid order. */
  | { kind: 'named'; participants: [Participant, Participant] }
  /** Not yet: read older messages and ask again. */
  | { kind: 'more' }
  /** The conversation's rows and messages cannot name two participants; `reason` says why. */
  | { kind: 'unresolved'; reason: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Who takes part in a conversation that has no membership items (one the bootcamp code wrote), named from what the table
 * holds: its rows (each names its owner by uuid and describes the other participant by uuid, name and handle) and
 * its messages (each carries its sender's uuid, name and handle), newest first. Pure.
 *
 * - A conversation is a pair. People come from the rows first; while they name fewer than two, from the senders of
 *   the messages, newest first. Once two are known, another sender is a stranger's post from the bootcamp era (its
 *   code let anyone post anywhere) and is not a participant.
 * - A person's name and handle come from the newest message they sent among those read, else from a row describing
 *   them.
 * - Rows naming more than two people, or a uuid that is not a lower-case uuid, cannot be a conversation of this
 *   library: `unresolved`. So is anyone still unnamed once every message was read (`exhausted`).
 */
export function resolveParticipants(
  rows: ReadonlyArray<Pick<LegacyRow, 'pk' | 'user_uuid' | 'user_display_name' | 'user_handle'>>,
  messagesNewestFirst: readonly LatestMessage[],
  exhausted: boolean
): ParticipantsVerdict {
  const people = new Map<string, { displayName?: string; handle?: string; fromMessage?: boolean }>()
  const meet = (uuid: string) => people.get(uuid) ?? people.set(uuid, {}).get(uuid)!
  for (const row of rows) {
    const owner = parseMessageGroupPk(row.pk)
    if (owner !== undefined) meet(owner)
    if (typeof row.user_uuid !== 'string') continue
    const described = meet(row.user_uuid)
    if (described.displayName === undefined && isName(row.user_display_name) && isName(row.user_handle)) {
      described.displayName = row.user_display_name
      described.handle = row.user_handle
    }
  }
  if (people.size > 2) return { kind: 'unresolved', reason: `its rows name ${people.size} people; a conversation is a pair` }
  for (const message of messagesNewestFirst) {
    if (typeof message.userUuid !== 'string') continue
    if (!people.has(message.userUuid) && people.size >= 2) continue // a stranger's post
    const sender = meet(message.userUuid)
    if (!sender.fromMessage && isName(message.displayName) && isName(message.handle)) {
      Object.assign(sender, { displayName: message.displayName, handle: message.handle, fromMessage: true })
    }
  }
  const bad = [...people.keys()].find((uuid) => !UUID.test(uuid))
  if (bad !== undefined) return { kind: 'unresolved', reason: `${JSON.stringify(bad.slice(0, 60))} is not a lower-case uuid` }
  const unnamed = [...people].filter(([, person]) => person.displayName === undefined).map(([uuid]) => uuid)
  if (people.size === 2 && unnamed.length === 0) {
    const participants = [...people]
      .map(([uuid, person]) => ({ uuid, displayName: person.displayName!, handle: person.handle! }))
      .sort((a, b) => (a.uuid < b.uuid ? -1 : 1)) as [Participant, Participant]
    return { kind: 'named', participants }
  }
  if (!exhausted) return { kind: 'more' }
  if (people.size < 2) {
    return { kind: 'unresolved', reason: people.size === 0 ? 'nothing names a participant' : 'only one participant is named' }
  }
  return { kind: 'unresolved', reason: `nothing names the display name and handle of ${unnamed.join(' and ')}` }
}

const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0
