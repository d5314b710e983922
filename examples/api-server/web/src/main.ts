// The chat page: sign in (dev), conversation list (Pattern B), one conversation (Pattern A, older pages on scrolling
// up), composer (Pattern C), live updates from /api/events. Served by routes/page.ts, bundled there by esbuild.
import { apiFor, ApiError, pageConfig, type Api, type Group, type GroupEvent, type Message, type MessageEvent, type PageConfig } from './api.js'
import { byId, h, time } from './dom.js'
import { connectLive } from './live.js'
import { groupParts } from './groups.js'
import { ulid } from 'ulid'

const MAX_CHARS = 1024 // as Cruddur's composer, and the library's limit
const PAGE_SIZE = 20
const SESSION_KEY = 'cruddur-chat-handle'

interface Me {
  uuid: string
  handle: string
  display_name: string
}

/** The open pane: a conversation, or a new one with a handle not written to yet. */
type Open = { kind: 'group'; uuid: string; title: string } | { kind: 'new'; handle: string; title: string }

const el = {
  signIn: byId('sign-in'),
  signInForm: byId<HTMLFormElement>('sign-in-form'),
  handle: byId<HTMLInputElement>('handle'),
  signInError: byId('sign-in-error'),
  cognitoNote: byId('cognito-note'),
  chat: byId('chat'),
  whoami: byId('whoami'),
  connection: byId('connection'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  groups: byId<HTMLUListElement>('groups'),
  newForm: byId<HTMLFormElement>('new-form'),
  newHandle: byId<HTMLInputElement>('new-handle'),
  newError: byId('new-error'),
  back: byId<HTMLButtonElement>('back'),
  paneTitle: byId('pane-title'),
  messages: byId<HTMLOListElement>('messages'),
  composer: byId<HTMLFormElement>('composer'),
  text: byId<HTMLTextAreaElement>('message'),
  counter: byId('counter'),
  sendError: byId('send-error')
}

let config: PageConfig = { auth: 'dev', live: false }
let api: Api
let me: Me
let live: { close(): void } | undefined
const groups = new Map<string, Group>()
let open: Open | undefined
/** Sort keys shown in the pane: a message comes by POST reply, by event and by reload, and shows once. */
let shown = new Set<string>()
let olderCursor: string | null = null
let loadingOlder = false
/** Bumped on every pane switch: answers for a pane no longer open are dropped. */
let paneVersion = 0

async function start(): Promise<void> {
  config = await pageConfig()
  if (config.auth !== 'dev') {
    el.cognitoNote.hidden = false
    return
  }
  const saved = sessionStorage.getItem(SESSION_KEY)
  if (saved && (await signIn(saved))) return
  showSignIn()
}

function showSignIn(): void {
  el.signIn.hidden = false
  el.chat.hidden = el.whoami.hidden = el.signOut.hidden = true
  el.handle.focus()
}

async function signIn(handle: string): Promise<boolean> {
  const clean = handle.trim().replace(/^@/, '')
  const response = await fetch(`/api/users/@${encodeURIComponent(clean)}/short`)
  if (!response.ok) {
    el.signInError.textContent = `No user @${clean}.`
    return false
  }
  me = (await response.json()) as Me
  api = apiFor(me.handle)
  sessionStorage.setItem(SESSION_KEY, me.handle)
  el.signIn.hidden = true
  el.chat.hidden = el.whoami.hidden = el.signOut.hidden = false
  el.whoami.textContent = `Signed in as ${me.display_name} (@${me.handle})`
  if (config.live) {
    live = connectLive(api, { onOpen: () => void refresh(), onMessage, onGroup, onStatus: showStatus })
  } else {
    el.connection.textContent = 'Live updates off (no stream worker in this server)'
    await refresh()
  }
  return true
}

function showStatus(status: 'connecting' | 'live' | 'reconnecting'): void {
  el.connection.textContent = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[status]
  el.connection.dataset.status = status
}

/** On every (re)connection: the list and the open pane from the API, so nothing missed while away is lost. */
async function refresh(): Promise<void> {
  await loadGroups()
  if (open?.kind === 'group') await loadNewest(open.uuid, paneVersion)
}

// ---- Conversation list (Pattern B) ----

async function loadGroups(): Promise<void> {
  const { body } = await api.get<Group[]>('/api/message_groups?limit=100')
  groups.clear()
  for (const group of body) groups.set(group.uuid, group)
  renderGroups()
  // Something arrived in the open conversation while away: read now, as if it had come live.
  if (open?.kind === 'group' && isReading() && (groups.get(open.uuid)?.unread_count ?? 0) > 0) readOpen(open.uuid)
}

function renderGroups(): void {
  const sorted = [...groups.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
  el.groups.replaceChildren(
    ...sorted.map((group) => {
      const current = open?.kind === 'group' && open.uuid === group.uuid
      const unread = group.unread_count > 0
      const button = h(
        'button',
        { type: 'button', class: 'group', 'aria-current': current ? 'true' : undefined, 'data-uuid': group.uuid },
        h('span', { class: 'name' }, nameOf(group)),
        time(group.created_at),
        h('span', { class: 'last' }, group.kind === 'group' && group.handle !== null ? `${group.display_name ?? group.handle}: ${group.message ?? ''}` : (group.message ?? '')),
        unread && h('span', { class: 'badge', 'aria-label': `${group.unread_count} unread` }, String(group.unread_count))
      )
      button.addEventListener('click', () => void openGroup(group.uuid))
      return h('li', {}, button)
    })
  )
}

/** A group by its title and size; a direct conversation by the other participant. */
const nameOf = (group: Group) => (group.kind === 'group' ? `${group.title ?? ''} (${group.member_count ?? 0})` : `${group.display_name ?? ''} @${group.handle ?? ''}`)

// ---- One conversation (Pattern A) ----

function resetPane(next: Open): number {
  open = next
  paneVersion++
  shown = new Set()
  olderCursor = null
  loadingOlder = false
  el.messages.replaceChildren()
  el.paneTitle.textContent = next.title
  el.composer.hidden = false
  el.sendError.textContent = ''
  el.chat.dataset.view = 'pane'
  groupPanel.show(next.kind === 'group' && groups.get(next.uuid)?.kind === 'group' ? next.uuid : undefined)
  renderGroups()
  return paneVersion
}

async function openGroup(uuid: string): Promise<void> {
  const group = groups.get(uuid)
  const version = resetPane({ kind: 'group', uuid, title: group ? (group.kind === 'group' ? group.title ?? '' : nameOf(group)) : 'Conversation' })
  await loadNewest(uuid, version)
  el.text.focus()
  if (isReading()) void markRead(uuid)
}

/** The newest page; when it does not reach what is shown (a long absence), it replaces it, so no gap opens. */
async function loadNewest(uuid: string, version: number): Promise<void> {
  const { body, nextCursor } = await api.get<Message[]>(`/api/messages/${uuid}?limit=${PAGE_SIZE}`)
  if (version !== paneVersion) return
  const overlaps = body.some((message) => shown.has(message.sort_key)) || nextCursor === null
  if (shown.size === 0 || !overlaps) {
    shown = new Set()
    el.messages.replaceChildren()
    olderCursor = nextCursor
  }
  addMessages(body)
  el.messages.scrollTop = el.messages.scrollHeight
  fillPane()
}

/** A first page too short to scroll could never load the older ones: load until the pane scrolls or none are left. */
function fillPane(): void {
  if (el.messages.scrollHeight <= el.messages.clientHeight && olderCursor !== null) void loadOlder().then(fillPane)
}

async function loadOlder(): Promise<void> {
  if (loadingOlder || olderCursor === null || open?.kind !== 'group') return
  loadingOlder = true
  const version = paneVersion
  try {
    const { body, nextCursor } = await api.get<Message[]>(`/api/messages/${open.uuid}?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(olderCursor)}`)
    if (version !== paneVersion) return
    // Keep what the reader looks at in place while rows are added above it.
    const fromBottom = el.messages.scrollHeight - el.messages.scrollTop
    addMessages(body)
    olderCursor = nextCursor
    el.messages.scrollTop = el.messages.scrollHeight - fromBottom
  } finally {
    if (version === paneVersion) loadingOlder = false
  }
}

/** Adds messages not shown yet, each in sort-key order. */
function addMessages(messages: Message[]): void {
  for (const message of messages) {
    if (shown.has(message.sort_key)) continue
    shown.add(message.sort_key)
    const mine = message.handle === me.handle
    const item = h(
      'li',
      { class: mine ? 'message mine' : 'message', 'data-sort-key': message.sort_key, 'data-handle': message.handle ?? undefined },
      h('span', { class: 'who' }, mine ? 'You' : `${message.display_name ?? ''} @${message.handle ?? ''}`),
      h('p', { class: 'text' }, message.message),
      time(message.created_at)
    )
    const after = [...el.messages.children].find((li) => (li as HTMLElement).dataset.sortKey! > message.sort_key)
    el.messages.insertBefore(item, after ?? null)
  }
}

// ---- Reading ----

const isReading = () => document.visibilityState === 'visible'

function zeroUnread(uuid: string): void {
  const group = groups.get(uuid)
  if (group) group.unread_count = 0
}

async function markRead(uuid: string): Promise<void> {
  const read = await api.post<{ unread_count: number }>(`/api/message_groups/${uuid}/read`)
  const group = groups.get(uuid)
  if (group && group.unread_count !== read.unread_count) {
    group.unread_count = read.unread_count
    renderGroups()
  }
}

/** Shows the open conversation's badge cleared at once, and records it. */
function readOpen(uuid: string): void {
  zeroUnread(uuid)
  renderGroups()
  void markRead(uuid)
}

document.addEventListener('visibilitychange', () => {
  if (open?.kind === 'group' && isReading() && (groups.get(open.uuid)?.unread_count ?? 0) > 0) readOpen(open.uuid)
})

// ---- Live events ----

function onMessage(event: MessageEvent): void {
  let group = groups.get(event.message_group_uuid)
  if (!group && event.sender_uuid !== me.uuid && event.handle !== null && !maybeGroup(event)) {
    // A conversation new to this list, started by the other participant: the event names them, no read needed.
    group = { uuid: event.message_group_uuid, display_name: event.display_name ?? event.handle, handle: event.handle, message: event.message, created_at: event.created_at, unread_count: event.unread_count }
    groups.set(group.uuid, group)
  } else if (!group) {
    void loadGroups() // started by me in another tab: only the list's row names the other participant
  } else if (event.created_at >= group.created_at) {
    Object.assign(group, { message: event.message, created_at: event.created_at, unread_count: event.unread_count })
    // A group's row names its last sender.
    if (group.kind === 'group') Object.assign(group, { display_name: event.display_name, handle: event.handle })
  }
  const reading = open?.kind === 'group' && open.uuid === event.message_group_uuid && isReading()
  if (reading) zeroUnread(event.message_group_uuid)
  if (group) renderGroups()
  if (open?.kind === 'group' && open.uuid === event.message_group_uuid) {
    addMessages([{ display_name: event.display_name, handle: event.handle, message: event.message, created_at: event.created_at, sort_key: event.sort_key }])
    const log = el.messages
    if (log.scrollHeight - log.scrollTop - log.clientHeight < 200) log.scrollTop = log.scrollHeight
    if (reading && event.unread_count > 0) void markRead(event.message_group_uuid)
  }
}

/**
 * Groups this page was told of by a `group` event: a message event of one not yet listed is loaded, not taken for a
 * direct conversation with its sender (only the list's row has a group's title).
 */
const announced = new Set<string>()
const maybeGroup = (event: MessageEvent) => announced.has(event.message_group_uuid)

function onGroup(event: GroupEvent): void {
  if (event.change === 'removed') {
    groups.delete(event.message_group_uuid)
    if (open?.kind === 'group' && open.uuid === event.message_group_uuid) closePane('You are no longer in this group')
    renderGroups()
    return
  }
  announced.add(event.message_group_uuid)
  void loadGroups().then(() => {
    if (open?.kind === 'group' && open.uuid === event.message_group_uuid) {
      const group = groups.get(open.uuid)
      if (group?.kind === 'group') el.paneTitle.textContent = group.title ?? ''
      void groupPanel.refresh()
    }
  })
}

function closePane(title: string): void {
  open = undefined
  paneVersion++
  shown = new Set()
  el.messages.replaceChildren()
  el.paneTitle.textContent = title
  el.composer.hidden = true
  groupPanel.show(undefined)
  el.chat.dataset.view = 'list'
}

const groupPanel = groupParts({
  api: () => api,
  me: () => me,
  openGroup: () => (open?.kind === 'group' ? open.uuid : undefined),
  newest() {
    const last = el.messages.lastElementChild as HTMLElement | null
    return last?.dataset.sortKey ? { sortKey: last.dataset.sortKey, handle: last.dataset.handle ?? null } : undefined
  },
  async created(uuid) {
    await loadGroups()
    await openGroup(uuid)
  },
  left(uuid) {
    groups.delete(uuid)
    closePane('Pick a conversation')
    renderGroups()
  }
})

// ---- Composer (Pattern C, or starting a conversation) ----

function updateCounter(): void {
  const left = MAX_CHARS - el.text.value.length
  el.counter.textContent = String(left)
  el.counter.setAttribute('aria-label', `${left} characters left`)
  el.counter.classList.toggle('low', left < 50)
}

/**
 * The id of the message being sent: kept while the same text to the same conversation is retried, so a send whose
 * answer was lost (a dropped connection, a 503) is stored once however often the user presses Enter.
 */
let pending: { key: string; id: string } | undefined

function messageIdFor(key: string): string {
  if (pending?.key !== key) pending = { key, id: ulid() }
  return pending.id
}

async function send(): Promise<void> {
  const text = el.text.value
  if (text.trim() === '' || !open) return
  const target = open
  el.sendError.textContent = ''
  const to = target.kind === 'group' ? { message_group_uuid: target.uuid } : { handle: target.handle }
  const message_id = messageIdFor(JSON.stringify([to, text]))
  try {
    const sent = await api.post<Message & { message_group_uuid: string }>('/api/messages', { message: text, message_id, ...to })
    pending = undefined
    el.text.value = ''
    updateCounter()
    if (target.kind === 'new') {
      await loadGroups()
      await openGroup(sent.message_group_uuid)
      return
    }
    if (open === target) addMessages([sent])
    el.messages.scrollTop = el.messages.scrollHeight
    const group = groups.get(sent.message_group_uuid)
    if (group && sent.created_at >= group.created_at) {
      Object.assign(group, { message: sent.message, created_at: sent.created_at })
      if (group.kind === 'group') Object.assign(group, { display_name: sent.display_name, handle: sent.handle })
    }
    renderGroups()
  } catch (error) {
    // An id too old to store (more than 5 minutes) or refused is dropped, so the next try gets a fresh one.
    if (error instanceof ApiError && error.status !== 503) pending = undefined
    el.sendError.textContent = error instanceof ApiError ? `Not sent: ${error.codes.join(', ') || error.status}` : 'Not sent: the server did not answer.'
  }
}

async function startNew(handle: string): Promise<void> {
  el.newError.textContent = ''
  const clean = handle.trim().replace(/^@/, '')
  if (clean === me.handle) {
    el.newError.textContent = 'That is you.'
    return
  }
  const response = await fetch(`/api/users/@${encodeURIComponent(clean)}/short`)
  if (!response.ok) {
    el.newError.textContent = `No user @${clean}.`
    return
  }
  const user = (await response.json()) as Me
  el.newHandle.value = ''
  resetPane({ kind: 'new', handle: user.handle, title: `New message to ${user.display_name} @${user.handle}` })
  el.text.focus()
}

// ---- Wiring ----

el.signInForm.addEventListener('submit', (event) => {
  event.preventDefault()
  el.signInError.textContent = ''
  void signIn(el.handle.value)
})
el.signOut.addEventListener('click', () => {
  sessionStorage.removeItem(SESSION_KEY)
  live?.close()
  location.reload()
})
el.newForm.addEventListener('submit', (event) => {
  event.preventDefault()
  void startNew(el.newHandle.value)
})
el.composer.addEventListener('submit', (event) => {
  event.preventDefault()
  void send()
})
el.text.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; not while an input method is composing a character.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault()
    void send()
  }
})
el.text.addEventListener('input', updateCounter)
el.messages.addEventListener('scroll', () => {
  if (el.messages.scrollTop < 80) void loadOlder()
})
el.back.addEventListener('click', () => {
  el.chat.dataset.view = 'list'
  el.groups.querySelector<HTMLElement>('[aria-current="true"]')?.focus()
})
updateCounter()
void start()
