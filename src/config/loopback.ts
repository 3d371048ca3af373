import { isIP } from 'node:net'

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]'])
const IPV4_LOOPBACK_NET = '127.'

/** Whether a listen or upstream host can only be reached from this machine. */
export function isLoopbackHost (host: string): boolean {
  const name = host.toLowerCase()
  if (LOOPBACK_NAMES.has(name)) return true
  return isIP(name) === 4 && name.startsWith(IPV4_LOOPBACK_NET)
}
