import type { DirectMessageGroup, MessageGroup } from '../../src/index.js'

/** A Pattern B item the test knows to be a direct conversation, narrowed: fails the test when it is a group. */
export function direct(group: MessageGroup): DirectMessageGroup {
  if (group.kind !== 'direct') throw new Error(`expected a direct conversation, got a group: ${group.messageGroupUuid}`)
  return group
}
