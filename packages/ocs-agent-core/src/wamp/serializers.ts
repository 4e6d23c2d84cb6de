/**
 * Adapters that plug `@smurf-ocs/wamp-codec` serializers into autobahn-js, so floats travel as
 * floats (`2.0`), NaN/Infinity tokens from Python peers parse, and big ints survive
 * (ocs-protocol.md 8.1). autobahn-js picks the serializer whose `SERIALIZER_ID` matches the
 * negotiated subprotocol `wamp.2.<id>`.
 */
import { jsonSerializer, msgpackSerializer, cborSerializer, type WampSerializer } from '@smurf-ocs/wamp-codec';
import type { AutobahnSerializer } from 'autobahn';

/** Serializer choice for an agent's WAMP connection. */
export type SerializerName = 'json' | 'msgpack' | 'cbor';

function adapt(name: SerializerName, codec: WampSerializer): AutobahnSerializer {
  return {
    SERIALIZER_ID: name,
    BINARY: codec.binary,
    serialize: (obj: unknown) => codec.encode(obj as unknown[]),
    // lossless: integral floats arrive as WampFloat, so param checks see Python's int/float split.
    unserialize: (payload: unknown) => {
      const data =
        typeof payload === 'string' || payload instanceof Uint8Array ? payload : new Uint8Array(payload as ArrayBuffer);
      return codec.decode(data, { lossless: true });
    },
  };
}

const CODECS: Record<SerializerName, WampSerializer> = {
  json: jsonSerializer,
  msgpack: msgpackSerializer,
  cbor: cborSerializer,
};

/** autobahn serializer list, preferred first. Default: JSON only (what the OCS tools use). */
export function autobahnSerializers(names: readonly SerializerName[] = ['json']): AutobahnSerializer[] {
  return names.map((n) => adapt(n, CODECS[n]));
}
