/** Options for every decode function of this package. */
export interface DecodeOptions {
  /**
   * Router mode. When true, a float whose value is integral (`5.0`, float64 `5`) decodes as a
   * {@link WampFloat} so that re-encoding with any serializer writes a float again. When false
   * (default), floats decode as plain numbers. Ints beyond ±(2^53-1) decode as `bigint` in both modes.
   */
  readonly lossless?: boolean;
}
