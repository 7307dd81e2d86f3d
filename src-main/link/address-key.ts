import { isIP } from 'node:net';

/**
 * The key that limits per address are counted under: an IPv4 address as it is, an IPv6 address
 * by its /64 (one home or one attacker gets a whole /64), an IPv4-mapped IPv6 address as IPv4.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const unmapped = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (isIP(unmapped) !== 6) return unmapped;
  const [head = '', tail = ''] = unmapped.split('%')[0]!.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = unmapped.includes('::') ? [...front, ...Array(8 - front.length - back.length).fill('0'), ...back] : front;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
