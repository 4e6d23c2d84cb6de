/**
 * Broker: exact, prefix and wildcard subscriptions (WAMP spec "Publish & Subscribe",
 * "Pattern-based Subscriptions", "Publisher Exclusion", "Subscriber Black- and Whitelisting";
 * ocs-protocol.md 1.3, 3.4). As crossbar does, sessions subscribing to the same (topic, match)
 * share one subscription id, and EVENT details carry `topic` only for pattern subscriptions.
 */
import { WampCodecError } from '@smurf-ocs/wamp-codec';
import { randomId } from './ids.js';
import type { Peer } from './peer.js';
import type { RealmContext } from './realm-context.js';
import { type MatchPolicy, WildcardPattern, isValidUri, notAuthorizedText } from './uri.js';
import { MSG, URI, type Dict, withPayload } from './wamp-messages.js';

interface Subscription {
  readonly id: number;
  readonly topic: string;
  readonly match: MatchPolicy;
  readonly wildcard: WildcardPattern | undefined;
  readonly subscribers: Set<Peer>;
}

/** A parsed PUBLISH. */
export interface PublishRequest {
  readonly request: number;
  readonly options: Dict;
  readonly topic: string;
  readonly args: unknown[] | undefined;
  readonly kwargs: Dict | undefined;
}

const MATCHES: readonly string[] = ['exact', 'prefix', 'wildcard'];

/** The broker of one realm. */
export class Broker {
  private readonly exact = new Map<string, Subscription>();
  private readonly patterns = new Map<string, Subscription>();
  private readonly byId = new Map<number, Subscription>();
  private readonly bySession = new Map<number, Set<Subscription>>();

  constructor(private readonly ctx: RealmContext) {}

  /** SUBSCRIBE with `options.match` exact (default), prefix or wildcard. */
  subscribe(peer: Peer, request: number, options: Dict, topic: string): void {
    const fail = (uri: string, text: string): void => peer.send([MSG.ERROR, MSG.SUBSCRIBE, request, {}, uri, [text]]);
    const match = options.match ?? 'exact';
    if (typeof match !== 'string' || !MATCHES.includes(match)) {
      return fail(URI.invalidArgument, `invalid value '${String(match)}' for 'match' option in SUBSCRIBE`);
    }
    const policy = match as MatchPolicy;
    if (!isValidUri(topic, policy)) return fail(URI.invalidUri, `subscribe for invalid topic URI '${topic}'`);
    if (!this.ctx.authorize(peer, 'subscribe', topic)) {
      return fail(URI.notAuthorized, notAuthorizedText(peer, 'subscribe', topic, this.ctx.name));
    }
    const sub = this.findOrCreate(topic, policy);
    sub.subscribers.add(peer);
    let mine = this.bySession.get(peer.id);
    if (mine === undefined) this.bySession.set(peer.id, (mine = new Set()));
    mine.add(sub);
    peer.send([MSG.SUBSCRIBED, request, sub.id]);
  }

  /** UNSUBSCRIBE by subscription id. */
  unsubscribe(peer: Peer, request: number, subscriptionId: number): void {
    const sub = this.byId.get(subscriptionId);
    if (sub === undefined || !sub.subscribers.has(peer)) {
      peer.send([MSG.ERROR, MSG.UNSUBSCRIBE, request, {}, URI.noSuchSubscription, []]);
      return;
    }
    this.remove(peer, sub);
    peer.send([MSG.UNSUBSCRIBED, request]);
  }

  /** PUBLISH: deliver EVENTs; PUBLISHED only when `acknowledge` is set (errors too, as crossbar). */
  publish(peer: Peer, p: PublishRequest): void {
    const ack = p.options.acknowledge === true;
    const fail = (uri: string, text: string): void => {
      if (ack) peer.send([MSG.ERROR, MSG.PUBLISH, p.request, {}, uri, [text]]);
    };
    if (!isValidUri(p.topic, 'exact')) return fail(URI.invalidUri, `publish with invalid topic URI '${p.topic}'`);
    if (!this.ctx.authorize(peer, 'publish', p.topic)) {
      return fail(URI.notAuthorized, notAuthorizedText(peer, 'publish', p.topic, this.ctx.name));
    }
    const publication = randomId();
    this.ctx.counters.publications++;
    const filter = receiverFilter(peer, p.options);
    const exact = this.exact.get(p.topic);
    if (exact !== undefined) this.deliver(exact, publication, {}, p, filter);
    for (const sub of this.patterns.values()) {
      const hit = sub.match === 'prefix' ? p.topic.startsWith(sub.topic) : sub.wildcard!.matches(p.topic);
      if (hit) this.deliver(sub, publication, { topic: p.topic }, p, filter);
    }
    if (ack) peer.send([MSG.PUBLISHED, p.request, publication]);
  }

  /** Session cleanup: drop every subscription of `peer`. */
  detach(peer: Peer): void {
    for (const sub of [...(this.bySession.get(peer.id) ?? [])]) this.remove(peer, sub);
    this.bySession.delete(peer.id);
  }

  /** Number of live subscriptions (diagnostics). */
  get size(): number {
    return this.byId.size;
  }

  private deliver(sub: Subscription, publication: number, details: Dict, p: PublishRequest, filter: (s: Peer) => boolean): void {
    // [EVENT, SUBSCRIBED.Subscription|id, PUBLISHED.Publication|id, Details|dict, PUBLISH.Arguments?, PUBLISH.ArgumentsKw?]
    const msg = withPayload([MSG.EVENT, sub.id, publication, details], p.args, p.kwargs);
    const frames = new Map<string, string | Uint8Array>();
    for (const s of sub.subscribers) {
      if (!filter(s)) continue;
      try {
        s.send(msg, frames);
        this.ctx.counters.events++;
      } catch (err) {
        if (!(err instanceof WampCodecError)) throw err;
        this.ctx.counters.encodeErrors++;
        this.ctx.log.warn({ err, session: s.id, topic: p.topic }, 'event dropped: payload cannot be transcoded');
      }
    }
  }

  private findOrCreate(topic: string, match: MatchPolicy): Subscription {
    const table = match === 'exact' ? this.exact : this.patterns;
    const key = match === 'exact' ? topic : `${match}\u0000${topic}`;
    let sub = table.get(key);
    if (sub === undefined) {
      const wildcard = match === 'wildcard' ? new WildcardPattern(topic) : undefined;
      sub = { id: randomId(this.byId), topic, match, wildcard, subscribers: new Set() };
      table.set(key, sub);
      this.byId.set(sub.id, sub);
    }
    return sub;
  }

  private remove(peer: Peer, sub: Subscription): void {
    sub.subscribers.delete(peer);
    this.bySession.get(peer.id)?.delete(sub);
    if (sub.subscribers.size > 0) return;
    this.byId.delete(sub.id);
    if (sub.match === 'exact') this.exact.delete(sub.topic);
    else this.patterns.delete(`${sub.match}\u0000${sub.topic}`);
  }
}

/** exclude_me (default true), exclude and eligible session-id lists. */
function receiverFilter(publisher: Peer, options: Dict): (s: Peer) => boolean {
  const excludeMe = options.exclude_me !== false;
  const exclude = Array.isArray(options.exclude) ? new Set(options.exclude) : undefined;
  const eligible = Array.isArray(options.eligible) ? new Set(options.eligible) : undefined;
  return (s) =>
    !(excludeMe && s === publisher) && !(exclude?.has(s.id) ?? false) && (eligible === undefined || eligible.has(s.id));
}
