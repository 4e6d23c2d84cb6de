/**
 * `@smurf-ocs/ocs-agent-core/testing`: the test kit other packages use (real router, real
 * sockets, real child processes).
 *
 * @packageDocumentation
 */
export { startRouter, type TestRouter, type TestRouterOptions } from './router.js';
export { writeSiteConfig, type SiteConfigSpec, type TestInstance } from './site-config.js';
export { startAgent, spawnAgent, type TestAgent, type SpawnedAgent } from './agents.js';
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
