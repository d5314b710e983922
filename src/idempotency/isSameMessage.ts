import type { FormattedMessage } from '../table/rows.js'

/**
 * Whether a stored message is the one a retry describes: same conversation (the key's partition), same sender, same
 * text (both as stored: validated and normalised). The sender's name and handle may have changed between attempts and
 * the message uuid is new at each attempt, so neither counts.
 */
export const isSameMessage = (stored: FormattedMessage, attempt: FormattedMessage): boolean =>
  stored.message_group_uuid === attempt.message_group_uuid &&
  stored.user_uuid === attempt.user_uuid &&
  stored.message === attempt.message
