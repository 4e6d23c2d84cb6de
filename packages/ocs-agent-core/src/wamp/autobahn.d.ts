// Minimal typings for the parts of autobahn 22.11.1 used by ocs-agent-core (no upstream types).
declare module 'autobahn' {
  export interface AutobahnSerializer {
    SERIALIZER_ID: string;
    BINARY: boolean;
    serialize(obj: unknown): unknown;
    unserialize(payload: unknown): unknown;
  }
  export interface EventDetails {
    topic?: string;
    publication?: number;
  }
  export interface InvocationDetails {
    procedure?: string;
  }
  export interface Registration {
    id: number;
    procedure: string;
  }
  export interface Subscription {
    id: number;
    topic: string;
  }
  export class Error {
    constructor(error: string, args?: unknown[], kwargs?: Record<string, unknown>);
    error: string;
    args: unknown[];
    kwargs: Record<string, unknown>;
  }
  export class Result {
    constructor(args?: unknown[], kwargs?: Record<string, unknown>);
    args: unknown[];
    kwargs: Record<string, unknown>;
  }
  export interface Session {
    readonly id: number;
    readonly isOpen: boolean;
    register(
      procedure: string,
      endpoint: (args: unknown[], kwargs: Record<string, unknown>, details: InvocationDetails) => unknown,
      options?: Record<string, unknown>,
    ): Promise<Registration>;
    subscribe(
      topic: string,
      handler: (args: unknown[], kwargs: Record<string, unknown>, details: EventDetails) => void,
      options?: Record<string, unknown>,
    ): Promise<Subscription>;
    publish(topic: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: Record<string, unknown>): unknown;
    call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
    leave(reason?: string, message?: string): void;
  }
  export interface ConnectionOptions {
    url: string;
    realm: string;
    serializers?: AutobahnSerializer[];
    max_retries?: number;
    retry_if_unreachable?: boolean;
    initial_retry_delay?: number;
    autoping_interval?: number;
    autoping_timeout?: number;
    on_user_error?: (err: unknown, msg?: string) => void;
    on_internal_error?: (err: unknown, msg?: string) => void;
  }
  export interface CloseDetails {
    reason: string | null;
    message: string | null;
    will_retry: boolean;
  }
  export class Connection {
    constructor(options: ConnectionOptions);
    onopen: ((session: Session, details: unknown) => void) | null;
    onclose: ((reason: string, details: CloseDetails) => boolean | void) | null;
    open(): void;
    close(reason?: string, message?: string): void;
    readonly session: Session | null;
  }
  const autobahn: {
    Connection: typeof Connection;
    Error: typeof Error;
    Result: typeof Result;
  };
  export default autobahn;
}
