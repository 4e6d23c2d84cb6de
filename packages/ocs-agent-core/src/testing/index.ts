/**
 * `@smurf-ocs/ocs-agent-core/testing`: the test kit other packages use (real router, real
 * sockets, real child processes).
 *
 * @packageDocumentation
 */
export { startRouter, type TestRouter, type TestRouterOptions } from './router.js';
export { writeSiteConfig, type SiteConfigSpec, type TestInstance } from './site-config.js';
export { startAgent, spawnAgent, type TestAgent, type SpawnedAgent } from './agents.js';
/**
 * The client side, re-exported so tests drive agents the way operators do: after `startAgent` /
 * `spawnAgent`, `await using client = await OCSClient.connect(instanceId, { site: 'none',
 * siteHttp: router.httpUrl })` (HTTP bridge, as Python's OCSClient) or `{ transport: 'wamp',
 * site: 'none', siteHub: router.url, realm: 'test_realm' }`; with a site file from
 * {@link writeSiteConfig} pass `{ siteFile }` instead. See docs/ocs-client.md.
 */
export { OCSClient, ControlClientError, type OCSClientOptions, type OCSReply, type OpKinds } from '../client/index.js';
export { httpCall, httpResult, type HttpCallResult } from './http.js';
export { tmpDir, waitFor, type TmpDir } from './util.js';
export {
  PYTHON,
  PYTHON_INSTALL_HINT,
  PYTHON_PEER_ERROR,
  requirePythonAutobahn,
  runPythonPeer,
  type PythonPeerOptions,
  type PythonVerdict,
} from './python.js';
