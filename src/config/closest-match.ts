/** Beyond this many edits a "did you mean" guess is more confusing than helpful. */
const MAX_SUGGESTION_DISTANCE = 2

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1,
 * so the usual typos (`eu-wset-2`, `eu-west-22`, `us-eats-1`) are all one edit away.
 */
function editDistance (from: string, to: string): number {
  const rows = from.length + 1
  const columns = to.length + 1
  const distance: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const substitution = from[i - 1] === to[j - 1] ? 0 : 1
      let best = Math.min(
        distance[i - 1]![j]! + 1,
        distance[i]![j - 1]! + 1,
        distance[i - 1]![j - 1]! + substitution
      )
      if (i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]) {
        best = Math.min(best, distance[i - 2]![j - 2]! + 1)
      }
      distance[i]![j] = best
    }
  }
  return distance[from.length]![to.length]!
}

/**
 * The candidate a mistyped value most likely meant, or undefined when none is close. Case is ignored when
 * comparing, so `US-EAST-1` suggests `us-east-1`; ties go to the earlier candidate.
 */
export function closestMatch (value: string, candidates: readonly string[]): string | undefined {
  const wanted = value.toLowerCase()
  const limit = Math.min(MAX_SUGGESTION_DISTANCE, Math.floor(wanted.length / 2))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}
