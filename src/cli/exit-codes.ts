/** The CLI's exit codes (issue 2): scripts and CI branch on them, so they never change. */
export const EXIT_CODES = {
  ok: 0,
  /** `check` found something, `explain` denied, or `serve` refused to start on findings. */
  findingsOrDenied: 1,
  usageOrConfigError: 2
} as const

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES]
