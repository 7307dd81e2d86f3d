import { it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyExternalAddress } from '../../../src-main/nat/external-address-class';

it('classifies router-reported external addresses', () => {
  const cases: Array<[string | undefined, string]> = [
    ['203.0.113.2', 'public'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['0.0.0.0', 'reserved'],
    ['127.0.0.1', 'reserved'],
    ['169.254.1.1', 'reserved'],
    ['239.255.255.250', 'reserved'],
    ['', 'empty'],
    [undefined, 'empty'],
    ['not-an-ip', 'empty'],
    ['1.2.3', 'empty'],
    ['::1', 'empty'],
  ];
  for (const [address, expected] of cases) assert.equal(classifyExternalAddress(address), expected, String(address));
});
