import { describe, expect, it } from 'vitest';
import { networkNotice } from '../../cli/commands/mock.js';

/**
 * The banner of a mock bound beyond loopback (review of issue 11): it says the mock is reachable from the network
 * and prints the address really bound. (Tests bind 127.0.0.1 only, so the text is checked here and the loopback
 * banner, which has none of it, in mock.test.ts.)
 */

describe('the network notice in the mock banner', () => {
  it('a wildcard bind: every interface, the bound address, reachable from the network', () => {
    for (const [host, bound] of [
      ['0.0.0.0', '0.0.0.0:4010'],
      ['::', '[::]:4010'],
    ]) {
      const notice = networkNotice(host as string, bound as string);
      expect(notice).toContain(`listening on every interface (bound to ${bound})`);
      expect(notice).toContain('reachable from the network');
      expect(notice).toContain('/__mock/* answers only on 127.0.0.1/localhost');
    }
  });

  it('a LAN address: that address, reachable from the network', () => {
    expect(networkNotice('192.168.1.20', '192.168.1.20:4010')).toMatch(
      /^listening on 192\.168\.1\.20:4010: the mock is reachable from the network/,
    );
  });

  it('loopback binds print nothing of the kind', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(networkNotice(host, `${host}:4010`)).toBeUndefined();
  });
});
