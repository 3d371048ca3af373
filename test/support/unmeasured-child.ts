/**
 * The environment entry that keeps a child process out of the coverage report (tap's process recorder reads it). A
 * child that runs the sources with tsx must carry it: the test processes compile the same files with tap's ts-node,
 * c8 merges both compilations' counters for a file as if the code were the same, through whichever source map it
 * read last, and tsx's maps carry no sources for it to count lines in. Files then lose lines or coverage at random.
 */
export const UNMEASURED_CHILD_ENV = { _TAPJS_PROCESSINFO_COVERAGE_: '0' } as const
