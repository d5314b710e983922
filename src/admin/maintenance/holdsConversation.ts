import type { ConversationInventory } from './scanTable.js'

/** Whether a scan saw anything of a conversation at an id, rather than only a pair link there. */
export const holdsConversation = (entry: ConversationInventory): boolean =>
  entry.conversation ||
  entry.legacyMembers ||
  entry.members.length > 0 ||
  entry.newestSk !== undefined ||
  entry.rowOwners.length > 0 ||
  entry.legacyRows.length > 0
