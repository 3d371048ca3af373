/** A config that cannot be used, with every problem found in it (never just the first), one line each. */
export class ConfigError extends Error {
  readonly file: string
  readonly problems: readonly string[]

  constructor (file: string, problems: readonly string[]) {
    super(`${file}: invalid config\n${problems.join('\n')}`)
    this.name = 'ConfigError'
    this.file = file
    this.problems = problems
  }
}
