// Typings for the parts of autobahn-js 22.11.1 the router tests use (the package ships none).
declare module 'autobahn' {
  export interface Serializer {
    readonly SERIALIZER_ID: string;
    readonly BINARY: boolean;
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
  export interface EventDetails {
    topic?: string;
    publication: number;
  }
  export interface Registration {
    id: number;
  }
  export interface Subscription {
    id: number;
  }
  export interface Session {
    readonly id: number;
    register(procedure: string, endpoint: (args: unknown[], kwargs: Record<string, unknown>) => unknown, options?: object): Promise<Registration>;
    unregister(registration: Registration): Promise<unknown>;
    subscribe(topic: string, handler: (args: unknown[], kwargs: Record<string, unknown>, details: EventDetails) => void, options?: object): Promise<Subscription>;
    unsubscribe(subscription: Subscription): Promise<unknown>;
    publish(topic: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: object): Promise<unknown> | undefined;
    call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: object): Promise<unknown>;
    leave(reason?: string, message?: string): void;
  }
  export class Connection {
    constructor(options: Record<string, unknown>);
    onopen: ((session: Session, details: Record<string, unknown>) => void) | null;
    onclose: ((reason: string, details: Record<string, unknown>) => boolean | void) | null;
    open(): void;
    close(reason?: string, message?: string): void;
  }
  const autobahn: {
    Connection: typeof Connection;
    Error: typeof Error;
    Result: typeof Result;
    serializer: { JSONSerializer: new () => Serializer; MsgpackSerializer: new () => Serializer; CBORSerializer: new () => Serializer };
  };
  export default autobahn;
}
