/**
 * Docstrings of the Python FakeDataAgent ops, verbatim (`op_info.docstring`, ocs-protocol.md 2.1).
 * Taken from the wire transcript of the real agent so `OCSClient` shows the same help text.
 */

/** Docstring of `acq`. */
export const ACQ_DOC = "acq(test_mode=False, degradation_period=None)\n\n        **Process** - Acquire data and write to the feed.\n\n        Parameters:\n            test_mode (bool, optional): Run the acq Process loop only once.\n                This is meant only for testing. Default is False.\n            degradation_period (float, optional): If set, then\n              alternately mark self as degraded / not degraded with\n              this period (in seconds).\n\n        Notes:\n            The most recent fake values are stored in the session data object in\n            the format::\n\n                >>> response.session['data']\n                {\"fields\":\n                    {\"channel_00\": 0.10250430068515494,\n                     \"channel_01\": 0.08550903376216404,\n                     \"channel_02\": 0.10481891991693446,\n                     \"channel_03\": 0.10793263271024509},\n                 \"timestamp\":1600448753.9288929}\n\n            The channels kept in fields are the 'faked' data, in a similar\n            structure to the Lakeshore agents. 'timestamp' is the last time\n            these values were updated.\n\n        ";

/** Docstring of `set_heartbeat`. */
export const SET_HEARTBEAT_DOC = "set_heartbeat(heartbeat=True)\n\n        **Task** -  Set the state of the agent heartbeat.\n\n        Args:\n            heartbeat (bool, optional): True for on (the default), False for off\n\n        ";

/** Docstring of `delay_task`. */
export const DELAY_TASK_DOC = "delay_task(delay=5, succeed=True)\n\n        **Task** (abortable) - Sleep (delay) for the requested number of\n        seconds.\n\n        This can run simultaneously with the acq Process.  This Task\n        should run in the reactor thread.\n\n        Args:\n            delay (float, optional): Time to wait before returning, in seconds.\n                Defaults to 5.\n            succeed (bool, optional): Whether to return success or not.\n                Defaults to True.\n\n        Notes:\n            The session data will be updated with the requested delay as\n            well as the time elapsed so far, for example::\n\n                >>> response.session['data']\n                {'requested_delay': 5.,\n                 'delay_so_far': 1.2}\n\n        ";
