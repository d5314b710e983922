// The `group` event of /api/events: types only, shared by the server and the chat page's browser code.

/**
 * What a user's open event streams receive when a group changes for them: they were put in a new group (`created`,
 * `added`), taken out of one (`removed`: the page drops it), or the group they are in was renamed or their role
 * changed. Messages still come as `message` events, through the stream worker.
 */
export interface GroupEvent {
  message_group_uuid: string
  change: 'created' | 'added' | 'removed' | 'renamed' | 'role'
  /** The group's title after the change. */
  title?: string
}
