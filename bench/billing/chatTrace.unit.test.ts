import { describe, expect, it } from 'vitest'
import { chatTrace, streamBatches, TRACE_MODEL } from './chatTrace.js'

describe('chatTrace', () => {
  it('is deterministic, sorted, and has bursts, replies and idle conversations', () => {
    const trace = chatTrace(200, 7)
    expect(chatTrace(200, 7)).toEqual(trace)
    expect(trace.every((m, i) => i === 0 || trace[i - 1]!.at <= m.at)).toBe(true)
    const per = new Map<number, number>()
    for (const m of trace) per.set(m.conversation, (per.get(m.conversation) ?? 0) + 1)
    const idle = [...per.values()].filter((n) => n === 1).length
    // About 70 % idle (one message), the rest several messages from both sides.
    expect(idle / 200).toBeGreaterThan(1 - TRACE_MODEL.activeShare - 0.12)
    expect(idle / 200).toBeLessThan(1 - TRACE_MODEL.activeShare + 0.12)
    const active = [...per.entries()].filter(([, n]) => n > 1).map(([c]) => trace.filter((m) => m.conversation === c))
    expect(active.some((messages) => new Set(messages.map((m) => m.from)).size === 2)).toBe(true)
  })
})

describe('streamBatches', () => {
  it('closes a batch when the window since its first record has passed, or when it is full', () => {
    const at = (...times: number[]) => times.map((t) => ({ at: t }))
    expect(streamBatches(at(0, 0.5, 1.9, 2, 5), 2).map((b) => b.map((m) => m.at))).toEqual([[0, 0.5, 1.9], [2], [5]])
    expect(streamBatches(at(0, 0, 0), 10, 2).map((b) => b.length)).toEqual([2, 1])
    expect(streamBatches([], 2)).toEqual([])
  })
})
