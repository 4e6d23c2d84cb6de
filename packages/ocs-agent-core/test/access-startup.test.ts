/**
 * Scenario 19 (override access policy) and 20f (startup ops), ocs-protocol.md 5 and 6.4.
 */
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../src/index.js';
import { startAgent, startRouter, tmpDir, waitFor, writeSiteConfig } from '../src/testing/index.js';
import { fakeDataAgent, mgmt, ops } from './helpers.js';

/** FakeData with delay_task at min_privs 2, as scenario 19 requires. */
const privileged = defineAgent({
  ...fakeDataAgent,
  ops: (a) => {
    const o = typeof fakeDataAgent.ops === 'function' ? fakeDataAgent.ops(a) : fakeDataAgent.ops;
    return { ...o, delay_task: { ...o.delay_task!, minPrivs: 2 } };
  },
});

describe('19. access control', () => {
  it('override:pw2,pw3 levels and rejection texts', async () => {
    await using router = await startRouter();
    await using dir = tmpDir();
    const site = writeSiteConfig(dir.path, { hubUrl: router.url, httpUrl: router.httpUrl, instances: [{ agentClass: 'FakeDataAgent', instanceId: 'faker' }] });
    await using agent = await startAgent(privileged, ['--site-file', site, '--access-policy', 'override:pw2,pw3']);
    const A = agent.address;
    expect(await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 0.01 }])).toEqual([
      -1,
      'The action requires credential level 2-ADVANCED but the client has only level 1-BASIC',
      {},
    ]);
    expect((await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 0.01 }], { password: 'wrong' }))[0]).toBe(-1);
    const ok2 = await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 0.01 }], { password: 'pw2' });
    expect(ok2[2]).toMatchObject({ cred_level: 2 });
    expect((await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: null }))[0]).toBe(0);
    const ok3 = await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 3 }], { password: 'pw3' });
    expect(ok3[2]).toMatchObject({ cred_level: 3 });
    expect((await ops(router.httpUrl, A, ['status', 'delay_task', {}]))[0]).toBe(0);
    expect(await ops(router.httpUrl, A, ['abort', 'delay_task', {}])).toEqual([-1, 'The action requires credential level 2-ADVANCED but the client has only level 1-BASIC', {}]);
    expect((await ops(router.httpUrl, A, ['abort', 'delay_task', {}], { password: 'pw2' }))[0]).toBe(0);
    const api = (await mgmt(router.httpUrl, A, 'get_api')) as { access_control: { policy: string }; tasks: [string, unknown, { min_privs: number }][] };
    expect(api.access_control.policy).toBe('override');
    expect(api.tasks[0]?.[2].min_privs).toBe(2);
  });
  it('policy none: min_privs 2 is always rejected, with the detail (Q6)', async () => {
    await using router = await startRouter();
    await using agent = await startAgent(privileged, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'faker']);
    expect(await ops(router.httpUrl, agent.address, ['start', 'delay_task', {}], { password: 'pw3' })).toEqual([
      -1,
      'The action requires credential level 2-ADVANCED but the client has only level 1-BASIC No access policy -- level 1 for all.',
      {},
    ]);
  });
  it('an unknown policy fails at startup', async () => {
    await expect(startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', 'ws://127.0.0.1:9/ws', '--instance-id', 'x', '--access-policy', 'bogus'])).rejects.toMatchObject({
      code: 'OCS_ERR_ACCESS_POLICY',
    });
  });
});

describe('20f. startup ops', () => {
  for (const [policy, level] of [
    ['none', 1],
    ['override:a,b', 4],
  ] as const) {
    it(`--mode acq starts acq (id 0) and count (id 1), cred_level ${level} under ${policy}`, async () => {
      await using router = await startRouter();
      await using agent = await startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'faker', '--mode', 'acq', '--access-policy', policy]);
      const acq = await waitFor(async () => {
        const r = await ops(router.httpUrl, agent.address, ['status', 'acq', {}]);
        return r[2].status === 'running' ? r : null;
      });
      expect(acq[2]).toMatchObject({ session_id: 0, cred_level: level });
      const count = await ops(router.httpUrl, agent.address, ['status', 'count', {}]);
      expect(count[2]).toMatchObject({ session_id: 1, status: 'running', cred_level: level });
      const next = await ops(router.httpUrl, agent.address, ['start', 'delay_task', { delay: 0 }]);
      expect(next[2].session_id).toBe(2);
    });
  }
});

describe('director policy', () => {
  it('blocks until the director publishes rules; md5 passwords, scopes and lockouts', async () => {
    const { createHash } = await import('node:crypto');
    const { wampClient } = await import('./helpers.js');
    await using router = await startRouter();
    await using director = await wampClient(router.url);
    const polls: Record<string, unknown>[] = [];
    await director.session.register('observatory.access-director.agent_poll', (_a, kw) => {
      polls.push(kw);
      return null;
    });
    await using agent = await startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'faker', '--access-policy', 'director:']);
    const A = agent.address;
    await waitFor(() => polls.length > 0);
    expect(polls[0]).toEqual({ instance_id: 'faker', agent_class: 'FakeDataAgent' });
    expect(await ops(router.httpUrl, A, ['start', 'delay_task', {}])).toEqual([-1, 'The action requires credential level 1-BASIC but the client has only level 0-BLOCKED', {}]);
    const md5 = createHash('md5').update('secret').digest('hex').slice(0, 16);
    const rules = [
      { hashed_pass: { hash: 'none', value: '' }, cred_level: 1, scope_spec: { default: true } },
      { hashed_pass: { hash: 'md5', value: md5 }, cred_level: 3, scope_spec: { agent_class: 'Fake*', instance_id: 'fak?r,!other' } },
      { hashed_pass: { hash: 'md5', value: md5 }, cred_level: 4, scope_spec: { instance_id: 'other' } },
    ];
    const info = { agent_address: 'observatory.access-director', agg_params: {}, feed_name: 'controls', address: 'observatory.access-director.feeds.controls', record: false, session_id: '1', agent_class: 'AccessDirector' };
    director.session.publish('observatory.access-director.feeds.controls', [[{ ac_version: 1, reset: true, rules, step: 7 }, info]]);
    await waitFor(async () => ((await mgmt(router.httpUrl, A, 'get_api')) as { access_control: { update_count: number } }).access_control.update_count === 1);
    const api = (await mgmt(router.httpUrl, A, 'get_api')) as { access_control: Record<string, unknown> };
    expect(api.access_control).toMatchObject({ policy: 'director', update_count: 1, step: 7 });
    const ok = await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 0 }], { password: 'secret' });
    expect(ok[2]).toMatchObject({ cred_level: 3 });
    const privileged2 = await ops(router.httpUrl, A, ['start', 'set_heartbeat', {}]);
    expect(privileged2[2]).toMatchObject({ cred_level: 1 });
    director.session.publish('observatory.access-director.feeds.controls', [[{ ac_version: 2, reset: true, rules: [], step: 8 }, info]]);
    director.session.publish('observatory.access-director.feeds.controls', [[{ ac_version: 1, target: 'someone-else', rules: [], step: 9 }, info]]);
    // A valid message after the two ignored ones: once it is applied, the two before it were seen
    // (same publisher, delivered in order), so the count proves they were ignored (no fixed sleep).
    director.session.publish('observatory.access-director.feeds.controls', [[{ ac_version: 1, reset: true, rules, step: 10 }, info]]);
    const after = await waitFor(async () => {
      const ac = ((await mgmt(router.httpUrl, A, 'get_api')) as { access_control: { step: number; update_count: number } }).access_control;
      return ac.step === 10 ? ac : null;
    });
    expect(after.update_count).toBe(2);
  });
});
