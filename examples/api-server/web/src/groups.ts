// The chat page's group parts: the "new group" form, the member panel of an open group (roles, add and remove for
// the owner and admins, leave), and the "seen by" line under its newest message. The list and the conversation pane
// stay main.ts's; it hands in what this needs.
import { ApiError, type Api, type Member } from './api.js'
import { byId, h } from './dom.js'

/** How often the member panel and "seen by" re-read the members while a group is open: read markers are not pushed. */
const MEMBERS_REFRESH_MS = 2_000

export interface GroupHooks {
  api(): Api
  me(): { uuid: string; handle: string }
  /** The group open in the pane, if a group is. */
  openGroup(): string | undefined
  /** The newest message shown in the pane: its sort key and sender's handle. */
  newest(): { sortKey: string; handle: string | null } | undefined
  /** A group was created by this page: reload the list and open it. */
  created(uuid: string): Promise<void>
  /** This user left the group: drop it from the list and close the pane. */
  left(uuid: string): void
}

const el = {
  form: byId<HTMLFormElement>('new-group-form'),
  title: byId<HTMLInputElement>('new-group-title'),
  members: byId<HTMLInputElement>('new-group-members'),
  error: byId('new-group-error'),
  toggle: byId<HTMLButtonElement>('members-toggle'),
  panel: byId('members'),
  list: byId<HTMLUListElement>('member-list'),
  addForm: byId<HTMLFormElement>('add-members-form'),
  add: byId<HTMLInputElement>('add-members'),
  leave: byId<HTMLButtonElement>('leave'),
  panelError: byId('members-error'),
  seenBy: byId('seen-by')
}

/** `@ben, cleo dana` → `['ben', 'cleo', 'dana']`. */
export const handlesOf = (text: string): string[] =>
  text.split(/[\s,]+/).map((handle) => handle.replace(/^@/, '')).filter((handle) => handle !== '')

const describe = (error: unknown) => (error instanceof ApiError ? error.codes.join(', ') || String(error.status) : 'the server did not answer')

export function groupParts(hooks: GroupHooks): { show(uuid: string | undefined): void; refresh(): Promise<void> } {
  let members: Member[] = []
  let shownFor: string | undefined
  let timer: ReturnType<typeof setInterval> | undefined

  const myRole = () => members.find((member) => member.uuid === hooks.me().uuid)?.role
  const manages = () => myRole() === 'owner' || myRole() === 'admin'
  const hasSeen = (member: Member, sortKey: string) => member.last_read_sort_key !== null && member.last_read_sort_key >= sortKey

  async function refresh(): Promise<void> {
    const uuid = shownFor
    if (!uuid) return
    try {
      const { body } = await hooks.api().get<Member[]>(`/api/message_groups/${uuid}/members?limit=100`)
      if (uuid !== shownFor) return
      members = body
      render()
    } catch (error) {
      // Removed meanwhile: the `group` event (or the next list load) closes the pane.
      if (uuid === shownFor) el.panelError.textContent = `Members: ${describe(error)}`
    }
  }

  function render(): void {
    const newest = hooks.newest()
    const me = hooks.me()
    const seers = newest ? members.filter((m) => m.uuid !== me.uuid && m.handle !== newest.handle && hasSeen(m, newest.sortKey)) : []
    el.seenBy.hidden = seers.length === 0
    el.seenBy.textContent = seers.length > 0 ? `Seen by ${seers.map((m) => m.display_name).join(', ')}` : ''
    el.addForm.hidden = !manages()
    el.list.replaceChildren(
      ...members.map((member) => {
        const removable = manages() && member.uuid !== me.uuid && member.role !== 'owner' && (member.role === 'member' || myRole() === 'owner')
        const remove = removable && h('button', { type: 'button', 'aria-label': `Remove ${member.display_name}` }, 'Remove')
        if (remove) remove.addEventListener('click', () => void removeMember(member))
        return h(
          'li',
          { class: 'member', 'data-handle': member.handle },
          h('span', { class: 'name' }, `${member.display_name} @${member.handle}${member.uuid === me.uuid ? ' (you)' : ''}`),
          member.role !== 'member' && h('span', { class: 'role' }, member.role),
          newest !== undefined && hasSeen(member, newest.sortKey) && h('span', { class: 'seen' }, 'seen'),
          remove
        )
      })
    )
  }

  async function removeMember(member: Member): Promise<void> {
    const uuid = shownFor
    if (!uuid) return
    el.panelError.textContent = ''
    try {
      await hooks.api().post(`/api/message_groups/${uuid}/members/${member.uuid}/remove`)
      if (member.uuid === hooks.me().uuid) hooks.left(uuid)
      else await refresh()
    } catch (error) {
      el.panelError.textContent = `Not removed: ${describe(error)}`
    }
  }

  function show(uuid: string | undefined): void {
    if (uuid === shownFor) return
    shownFor = uuid
    members = []
    clearInterval(timer)
    el.list.replaceChildren()
    el.panelError.textContent = ''
    el.seenBy.hidden = true
    el.toggle.hidden = uuid === undefined
    if (!uuid) {
      el.panel.hidden = true
      el.toggle.setAttribute('aria-expanded', 'false')
      return
    }
    void refresh()
    timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh()
    }, MEMBERS_REFRESH_MS)
  }

  el.toggle.addEventListener('click', () => {
    el.panel.hidden = !el.panel.hidden
    el.toggle.setAttribute('aria-expanded', String(!el.panel.hidden))
  })
  el.leave.addEventListener('click', () => {
    const me = members.find((member) => member.uuid === hooks.me().uuid)
    if (me) void removeMember(me)
  })
  el.addForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const uuid = shownFor
    if (!uuid) return
    el.panelError.textContent = ''
    void hooks
      .api()
      .post(`/api/message_groups/${uuid}/members`, { handles: handlesOf(el.add.value) })
      .then(async () => {
        el.add.value = ''
        await refresh()
      })
      .catch((error: unknown) => (el.panelError.textContent = `Not added: ${describe(error)}`))
  })
  el.form.addEventListener('submit', (event) => {
    event.preventDefault()
    el.error.textContent = ''
    void hooks
      .api()
      .post<{ message_group_uuid: string }>('/api/message_groups', { title: el.title.value, handles: handlesOf(el.members.value) })
      .then(async (created) => {
        el.title.value = el.members.value = ''
        await hooks.created(created.message_group_uuid)
      })
      .catch((error: unknown) => (el.error.textContent = `Not created: ${describe(error)}`))
  })

  return { show, refresh }
}
