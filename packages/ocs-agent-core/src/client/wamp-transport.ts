/**
 * OCSClient's WAMP transport: control calls over a {@link WampClientSession}.
 */
import type { ControlTransport } from './control-transport.js';
import { WampClientSession } from './wamp-session.js';

/** Control calls over a WebSocket WAMP session (the `client_t`/`call_op` path, ocs-protocol.md §2.2). */
export class WampControlTransport implements ControlTransport {
  readonly kind = 'wamp' as const;
  /** The underlying session; usable for subscriptions too. */
  readonly session: WampClientSession;
  readonly #owned: boolean;

  /** Wrap `session`; when `owned`, `close()` also closes the session. */
  constructor(session: WampClientSession, owned = true) {
    this.session = session;
    this.#owned = owned;
  }

  /** Connect a new session to `url`/`realm` and wrap it (owned). */
  static async connect(url: string, realm: string): Promise<WampControlTransport> {
    return new WampControlTransport(await WampClientSession.connect({ url, realm }));
  }

  call(procedure: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<unknown> {
    return this.session.call(procedure, args, kwargs);
  }

  async close(): Promise<void> {
    if (this.#owned) await this.session.close();
  }
}
