import type { Participant } from '../types.js'
import { SAMPLE_USERS } from './sampleUsers.js'

type SampleHandle = keyof typeof SAMPLE_USERS

/** One scripted conversation of `dynamo-messaging seed`: who talks, when it starts, and what they say. */
export interface SampleConversation {
  /** The first speaker starts the conversation. */
  readonly between: readonly [SampleHandle, SampleHandle]
  /** Hours before "now" of the first message. */
  readonly startsHoursAgo: number
  /** Each line is sent `afterMinutes` after the previous one. */
  readonly lines: readonly { readonly from: SampleHandle; readonly afterMinutes: number; readonly text: string }[]
}

/**
 * Four conversations over the last four days, each ending more than a day ago so `seed --messages` (last 12 hours)
 * always comes after them. Written for this project.
 */
export const SAMPLE_CONVERSATIONS: readonly SampleConversation[] = [
  {
    between: ['ada', 'ben'],
    startsHoursAgo: 96,
    lines: [
      { from: 'ada', afterMinutes: 0, text: 'Morning Ben! Did the new espresso grinder arrive?' },
      { from: 'ben', afterMinutes: 6, text: 'It did. First shot tasted like burnt toast, second one like actual coffee.' },
      { from: 'ada', afterMinutes: 3, text: "Progress! Bring a bag of beans on Friday and I'll be the judge." },
      { from: 'ben', afterMinutes: 11, text: 'Deal. I ordered the Ethiopian ones you liked last time.' },
      { from: 'ada', afterMinutes: 2, text: 'Perfect. See you at ten ☕' }
    ]
  },
  {
    between: ['cleo', 'dana'],
    startsHoursAgo: 74,
    lines: [
      { from: 'cleo', afterMinutes: 0, text: 'Are we still on for the climbing gym tonight?' },
      { from: 'dana', afterMinutes: 4, text: 'Yes! My forearms have almost forgiven me for last week.' },
      { from: 'cleo', afterMinutes: 9, text: 'I booked the 7pm slot. Bring chalk, mine is nearly gone.' },
      { from: 'dana', afterMinutes: 1, text: 'Will do. Whoever falls off the overhang first buys dumplings.' }
    ]
  },
  {
    between: ['ben', 'cleo'],
    startsHoursAgo: 50,
    lines: [
      { from: 'ben', afterMinutes: 0, text: 'Quick one: do you still have the tent we borrowed in June?' },
      { from: 'cleo', afterMinutes: 14, text: "It's in my hallway, dry and only slightly sandy." },
      { from: 'ben', afterMinutes: 2, text: 'Could I pick it up on Saturday? Lake trip with my cousins.' },
      { from: 'cleo', afterMinutes: 5, text: 'Sure, any time after noon. Take the lantern too.' },
      { from: 'ben', afterMinutes: 1, text: "You're a star. Photos will follow." },
      { from: 'cleo', afterMinutes: 3, text: 'Only if there are ducks in them.' }
    ]
  },
  {
    between: ['dana', 'ada'],
    startsHoursAgo: 30,
    lines: [
      { from: 'dana', afterMinutes: 0, text: 'I finished the book you lent me. That ending!' },
      { from: 'ada', afterMinutes: 7, text: 'Right? I stared at the wall for ten minutes afterwards.' },
      { from: 'dana', afterMinutes: 12, text: "I'll bring it back on Sunday, with the lemon cake I promised." }
    ]
  }
]

export const sampleUser = (handle: SampleHandle): Participant => SAMPLE_USERS[handle]

/** When each line of `conversation` is sent, given the time the seed runs. */
export function lineTimes(conversation: SampleConversation, now: Date): Date[] {
  let time = now.getTime() - conversation.startsHoursAgo * 3_600_000
  return conversation.lines.map((line) => new Date((time += line.afterMinutes * 60_000)))
}
