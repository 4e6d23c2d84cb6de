/**
 * `op_info.docstring` of each op. The first line keeps the Python signature line
 * (`start_background_streamer(params=None)`); the text is this port's own.
 */

/** Process `stream`. */
export const STREAM_DOC = `start_background_streamer(params=None)

Process that serves simulated SMuRF frames on a G3NetworkSender. A data
stream starts right away; the start and stop tasks end and restart it.
Keep-alive flow-control frames are sent in any case.

Parameters
----------
frame_rate : float, optional
    Scan frames per second [Hz]. Default: --frame-rate (1 Hz).
sample_rate : float, optional
    Samples per channel per second [Hz]. Default: --sample-rate (10 Hz).`;

/** Task `start`. */
export const START_DOC = `set_stream_on(params=None)

Task that (re)starts the stream of Scan frames: the streaming process sends
START and a new Observation frame at its next iteration.

Parameters
----------
force : bool
    Queue a START even if a stream is running. Defaults to False.`;

/** Task `stop`. */
export const STOP_DOC = `set_stream_off(params=None)

Task that ends the stream of Scan frames after the current one: the
streaming process sends END and the CLEANSE Observation/Wiring frames.
Keep-alive frames continue.

Parameters
----------
force : bool
    Queue an END even if no stream is running. Defaults to False.`;
