import { z } from 'zod';
/** Mutable agent state: the exclusive-job marker of the Python agent. */
export interface FakeDataState {
    /** `null`, `'acq'` while acquiring, `'!acq'` when a stop was requested. */
    job: string | null;
}
/** The FakeDataAgent definition (`agent_class` `FakeDataAgent`). */
export declare const fakeDataAgent: import("@smurf-ocs/ocs-agent-core").AgentDefinition<{
    mode: z.ZodDefault<z.ZodEnum<{
        idle: "idle";
        acq: "acq";
    }>>;
    'num-channels': z.ZodDefault<z.ZodNumber>;
    'sample-rate': z.ZodDefault<z.ZodNumber>;
    'frame-length': z.ZodDefault<z.ZodNumber>;
}, FakeDataState> & {
    removedArgs?: Record<string, string>;
};
//# sourceMappingURL=agent.d.ts.map