/**
 * One preparation shared by every caller in this process: the first call starts it, later ones wait for the same
 * promise. A preparation that failed is forgotten, so the next call tries again instead of repeating the old error.
 */
export function sharedPreparation<T> (prepare: () => Promise<T>): () => Promise<T> {
  let prepared: Promise<T> | undefined
  return async () => {
    prepared ??= prepare().catch((error: unknown) => {
      prepared = undefined
      throw error
    })
    return prepared
  }
}
