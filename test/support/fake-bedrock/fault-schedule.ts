import type { Fault } from './types.ts'

/** Which fault the next request gets: a queued one-shot first, otherwise the persistent one. */
export class FaultSchedule {
  private persistent: Fault | undefined
  private readonly queue: Fault[] = []

  set (fault: Fault | undefined): void {
    this.persistent = fault
  }

  next (fault: Fault): void {
    this.queue.push(fault)
  }

  take (): Fault | undefined {
    return this.queue.shift() ?? this.persistent
  }

  clear (): void {
    this.persistent = undefined
    this.queue.length = 0
  }
}
