/** Diagnostic counters of a router (all monotonic except `sessions`). */
export interface RouterCounters {
  /** Sessions currently joined (WebSocket sessions; the HTTP bridge is not counted). */
  sessions: number;
  /** Sessions joined since start. */
  sessionsTotal: number;
  /** CALLs received (WebSocket and HTTP bridge). */
  calls: number;
  /** CALLs that ended in an ERROR to the caller (router or callee errors). */
  callErrors: number;
  /** PUBLISHes accepted. */
  publications: number;
  /** EVENTs delivered to subscribers. */
  events: number;
  /** HTTP requests to the caller bridge (any method). */
  httpRequests: number;
  /** Messages that could not be decoded or broke the protocol (the peer was aborted). */
  protocolErrors: number;
  /** Messages that could not be encoded for a peer's serializer (dropped or turned into errors). */
  encodeErrors: number;
}

/** A zeroed counter set. */
export function newCounters(): RouterCounters {
  return {
    sessions: 0,
    sessionsTotal: 0,
    calls: 0,
    callErrors: 0,
    publications: 0,
    events: 0,
    httpRequests: 0,
    protocolErrors: 0,
    encodeErrors: 0,
  };
}
