// Groups on the chat page, three people in three live browser contexts: the owner creates a group by handles and a
// title, both others see it appear live with its title and the sender's name, "seen by" follows the read markers, a
// plain member gets no add or remove controls, and the one the owner removes loses the group live.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, listRows, signedIn, startChatServer, type ChatServer } from './support.js'

let browser: Browser
let chat: ChatServer

beforeAll(async () => {
  ;[browser, chat] = await Promise.all([launchChromium(), startChatServer('browser-groups')])
})
afterAll(async () => {
  await browser?.close()
  await chat?.close()
})

/** Each hop is real and the machine is shared: generous, since a pass still needs the page to get there on its own. */
const SLOW = { timeout: 10_000, interval: 50 }
const messageTexts = (page: Page) => page.locator('#messages .text').allTextContents()
const senders = (page: Page) => page.locator('#messages .who').allTextContents()
const memberNames = (page: Page) => page.locator('#member-list .member .name').allTextContents()

it('owner creates a group with two others; each sees it live; "seen by" updates; a removed member loses it', async () => {
  const [a, b, c] = await Promise.all(['ada', 'ben', 'cleo'].map((handle) => signedIn(browser, chat.url, handle)))
  expect(await listRows(b!.page)).toEqual([])

  // Ada creates "Trip" with @ben and cleo: it opens for her, and appears for Ben and Cleo without a reload.
  await a!.page.getByLabel('New group', { exact: true }).fill('Trip')
  await a!.page.getByLabel('Members (handles, comma-separated)', { exact: true }).fill('@ben, cleo')
  await a!.page.getByRole('button', { name: 'Create group' }).click()
  await expect.poll(() => a!.page.locator('#pane-title').textContent(), SLOW).toBe('Trip')
  await expect.poll(() => listRows(a!.page), SLOW).toEqual(['Trip (3)||'])
  await expect.poll(() => listRows(b!.page), SLOW).toEqual(['Trip (3)||'])
  await expect.poll(() => listRows(c!.page), SLOW).toEqual(['Trip (3)||'])

  // Ada writes; Ben and Cleo see it live with the sender's name and a badge.
  await a!.page.getByLabel(/^Message/).fill('Train at 9')
  await a!.page.getByLabel(/^Message/).press('Enter')
  await expect.poll(() => listRows(b!.page), SLOW).toEqual(['Trip (3)|Ada Quill: Train at 9|1'])
  await expect.poll(() => listRows(c!.page), SLOW).toEqual(['Trip (3)|Ada Quill: Train at 9|1'])
  expect(await a!.page.locator('#seen-by').isHidden()).toBe(true)

  // Ben opens it: the conversation names the sender; Ada's "seen by" line then names Ben, and only Ben.
  await b!.page.locator('#groups .group').first().click()
  await expect.poll(() => messageTexts(b!.page), SLOW).toEqual(['Train at 9'])
  expect(await senders(b!.page)).toEqual(['Ada Quill @ada'])
  await expect.poll(() => a!.page.locator('#seen-by').textContent(), SLOW).toBe('Seen by Ben Okafor')

  // Ben replies; in Cleo's open pane the sender is named, and Ada's list shows who wrote last.
  await c!.page.locator('#groups .group').first().click()
  await b!.page.getByLabel(/^Message/).fill('I will be there')
  await b!.page.getByLabel(/^Message/).press('Enter')
  await expect.poll(() => messageTexts(c!.page), SLOW).toEqual(['Train at 9', 'I will be there'])
  expect(await senders(c!.page)).toEqual(['Ada Quill @ada', 'Ben Okafor @ben'])
  await expect.poll(() => listRows(a!.page), SLOW).toEqual(['Trip (3)|Ben Okafor: I will be there|'])
  // Cleo read it in her open pane, and Ada too: "seen by" for Ben's message names both.
  await expect.poll(() => b!.page.locator('#seen-by').textContent(), SLOW).toBe('Seen by Ada Quill, Cleo Marsh')

  // Ben is a plain member: no add form, no remove buttons. Ada, the owner, has both.
  await b!.page.getByRole('button', { name: 'Members', exact: true }).click()
  await expect.poll(() => memberNames(b!.page), SLOW).toHaveLength(3)
  expect(await b!.page.locator('#add-members-form').isHidden()).toBe(true)
  expect(await b!.page.locator('#member-list button').count()).toBe(0)
  await a!.page.getByRole('button', { name: 'Members', exact: true }).click()
  await expect.poll(() => memberNames(a!.page), SLOW).toEqual(expect.arrayContaining(['Ada Quill @ada (you)', 'Ben Okafor @ben', 'Cleo Marsh @cleo']))
  expect(await a!.page.locator('#add-members-form').isVisible()).toBe(true)

  // Ada removes Cleo: Cleo's list loses the group and her open pane closes, live.
  await a!.page.getByRole('button', { name: 'Remove Cleo Marsh' }).click()
  await expect.poll(() => memberNames(a!.page), SLOW).toEqual(expect.not.arrayContaining(['Cleo Marsh @cleo']))
  await expect.poll(() => listRows(c!.page), SLOW).toEqual([])
  await expect.poll(() => c!.page.locator('#pane-title').textContent(), SLOW).toBe('You are no longer in this group')
  expect(await c!.page.locator('#composer').isHidden()).toBe(true)
  // The API agrees: Cleo can no longer read it.
  const read = await fetch(`${chat.url}/api/message_groups`, { headers: { authorization: 'Bearer dev:cleo' } })
  expect(await read.json()).toEqual([])

  // Ada adds Dana back in through the panel; Ben's list shows the new size once it reloads on his next event.
  await a!.page.getByLabel('Add members (handles, comma-separated)').fill('dana')
  await a!.page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect.poll(() => memberNames(a!.page), SLOW).toEqual(expect.arrayContaining(['Dana Reyes @dana']))
  await Promise.all([a!.context.close(), b!.context.close(), c!.context.close()])
})
