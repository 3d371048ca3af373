import type { RawConfig } from './schema.ts'
import { formatPath } from './problem-text.ts'

/**
 * The floor for a SigV4 client's secret. A secret is the only thing between a caller and the gateway's AWS
 * credentials, and SigV4 signatures let anyone who saw one signed request test guesses offline, so a short or
 * repetitive secret is refused at load time. `keygen` issues 40 random base64url characters, which always pass.
 */
const MINIMUM_SECRET_LENGTH = 32
const MINIMUM_CHARACTER_CLASSES = 2
const MINIMUM_DISTINCT_CHARACTERS = 12
const CHARACTER_CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/]

const TOO_WEAK = `is too weak (expected at least ${MINIMUM_SECRET_LENGTH} characters from at least two of: ` +
  'lower-case letters, upper-case letters, digits, symbols; with at least ' +
  `${MINIMUM_DISTINCT_CHARACTERS} different characters; \`bedrock-geofence keygen\` issues such secrets)`

function isStrongSecret (secret: string): boolean {
  const characters = [...secret]
  return characters.length >= MINIMUM_SECRET_LENGTH &&
    CHARACTER_CLASSES.filter((characterClass) => characterClass.test(secret)).length >= MINIMUM_CHARACTER_CLASSES &&
    new Set(characters).size >= MINIMUM_DISTINCT_CHARACTERS
}

/**
 * Every resolved client secret below the floor. The problem never quotes the secret; one whose reference did not
 * resolve is already reported as such and is not judged.
 */
export function secretStrengthProblems (config: RawConfig, unresolvedPaths: ReadonlySet<string>): string[] {
  return config.clients.flatMap((client, index) => {
    const where = formatPath(['clients', index, 'secretAccessKey'])
    const secret = client.secretAccessKey
    if (secret === undefined || unresolvedPaths.has(where) || isStrongSecret(secret)) return []
    return [`${where}: ${TOO_WEAK}`]
  })
}
