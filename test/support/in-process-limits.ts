/**
 * Config for a gateway started inside a test process: the test's own SDK client shares the gateway's event loop, so
 * its bursts of work (loading the SDK, signing, parsing) must not count as gateway overload. Tests of load shedding
 * set their own limit instead.
 */
export const NO_EVENT_LOOP_SHEDDING_YAML = 'limits: { maxEventLoopDelayMs: 0 }\n'
