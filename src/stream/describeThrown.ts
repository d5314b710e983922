/**
 * A short text for anything thrown, without throwing itself: a hostile record's getter may throw a value whose
 * `toString` throws too, or a Symbol, which a template literal refuses.
 */
export function describeThrown(thrown: unknown): string {
  try {
    return String(thrown).slice(0, 120)
  } catch {
    return 'a value that cannot be shown'
  }
}
