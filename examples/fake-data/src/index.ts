/**
 * `@smurf-ocs/example-fake-data`: the FakeDataAgent port, an example of `@smurf-ocs/ocs-agent-core`.
 *
 * @packageDocumentation
 */
export { fakeDataAgent, type FakeDataState } from './agent.js';
