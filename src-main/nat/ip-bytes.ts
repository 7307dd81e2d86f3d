// IP addresses as the 16 bytes PCP puts on the wire (IPv4 as ::ffff:a.b.c.d). Pure: no I/O.
import { isIPv4, isIPv6 } from 'node:net';

/** The address without an IPv6 zone ("fe80::1%eth0" → "fe80::1"). */
export function withoutZone(address: string): string {
  const cut = address.indexOf('%');
  return cut === -1 ? address : address.slice(0, cut);
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** 16 bytes for an IPv4 or IPv6 address (zone ignored); throws on anything else. */
export function addressToBytes(address: string): Buffer {
  const plain = withoutZone(address);
  const out = Buffer.alloc(16);
  if (isIPv4(plain)) {
    out.writeUInt16BE(0xffff, 10);
    Buffer.from(ipv4Bytes(plain)).copy(out, 12);
    return out;
  }
  if (!isIPv6(plain)) throw new Error('not an IP address');
  let text = plain;
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(dotted[1]);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : zeros).fill('0'), ...tailGroups];
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

/** True when the 16 bytes hold an IPv4-mapped address. */
export function isMappedIPv4(bytes: Buffer): boolean {
  return bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes.readUInt16BE(10) === 0xffff;
}

/** Text form of 16 address bytes: dotted for IPv4-mapped, RFC 5952 compressed IPv6 otherwise. */
export function bytesToAddress(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error('an address is 16 bytes');
  if (isMappedIPv4(bytes)) return [...bytes.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  // The longest run of two or more zero groups (first one on a tie) becomes "::".
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** True when both strings name the same IP address (zones and spelling ignored). */
export function sameAddress(a: string, b: string): boolean {
  try {
    return addressToBytes(a).equals(addressToBytes(b));
  } catch {
    return false;
  }
}

/** True for the all-zero address in either family (a PCP server's "unknown"). */
export function isUnspecified(bytes: Buffer): boolean {
  return bytes.every((b) => b === 0) || (isMappedIPv4(bytes) && bytes.readUInt32BE(12) === 0);
}
