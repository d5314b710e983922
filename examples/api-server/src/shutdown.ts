/**
 * Ordered clean-up for the entry points: each resource registers its stop as it starts, and SIGINT/SIGTERM (Ctrl-C)
 * or a start-up failure stops them newest first, so nothing (above all no Java process) outlives the command.
 */
export function createShutdown(log: (message: string, error?: unknown) => void = console.error) {
  const stops: Array<() => Promise<void> | void> = []
  let running: Promise<never> | undefined

  const run = (exitCode: number): Promise<never> =>
    (running ??= (async () => {
      let code = exitCode
      for (const stop of stops.reverse()) {
        try {
          await stop()
        } catch (error) {
          log('Error while stopping', error)
          code = 1
        }
      }
      process.exit(code)
    })())

  let firstSignalAt = 0
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // One Ctrl-C can arrive twice (the terminal signals the whole process group and tsx relays it): only a second
      // press, a moment later, means "stop waiting".
      if (running) {
        if (Date.now() - firstSignalAt < 1_000) return
        log(`${signal} again: exiting without waiting`)
        process.exit(1)
      }
      firstSignalAt = Date.now()
      void run(0)
    })
  }
  return {
    /** Registers a stop to run on shutdown, after those registered later. */
    defer(stop: () => Promise<void> | void): void {
      stops.push(stop)
    },
    /** Stops everything and exits with `exitCode`. */
    run
  }
}
