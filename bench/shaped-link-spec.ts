// Reading a shaped link from the command line: RATE/RTT[/LOSS[/QUEUE[/CC]]], e.g. 100mbit/100ms/0.5%/1s.
//   RATE   500kbit, 100mbit, 1gbit (bits per second, frames counted from the Ethernet header on)
//   RTT    the base round trip: 100ms, 0.3s (half of it each way)
//   LOSS   0.5% (or 0.5), each way; default 0
//   QUEUE  the bottleneck queue, as time at the rate (1s, 250ms) or in bytes (1.25MB, 64KB, 1MiB, 30000B); default 1s
//   CC     TCP congestion control at both ends: cubic (what people's machines use), bbr, reno; default: the machine's

export interface LinkSpec {
  /** The spec as given, for labels. */
  text: string;
  rateMbit: number;
  rttMs: number;
  lossPercent: number;
  queue: { ms: number } | { bytes: number };
  /** undefined: the machine's own. */
  congestionControl: string | undefined;
}

const RATE_UNITS: Record<string, number> = { kbit: 1e-3, mbit: 1, gbit: 1e3 };
const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000 };
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

export function parseLinkSpec(text: string): LinkSpec {
  const fail = (why: string): never => {
    throw new Error(
      `Cannot read the link "${text}": ${why}. Use RATE/RTT/LOSS/QUEUE, e.g. 100mbit/100ms/0.5%/1s or 20mbit/300ms/0%/1.25MB.`,
    );
  };
  const [rate, rtt, loss = '0', queue = '1s', congestionControl, ...rest] = text.trim().toLowerCase().split('/');
  if (rest.length > 0 || rate === undefined || rtt === undefined) fail('it has 2 to 5 parts');
  if (congestionControl !== undefined && !/^[a-z0-9_]+$/.test(congestionControl))
    fail(`"${congestionControl}" is not a congestion control`);
  const number = (part: string, units: Record<string, number>, what: string, unitRequired = true) => {
    const m = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(part);
    const unit = m?.[2] ? units[m[2]] : unitRequired ? undefined : 1;
    if (!m || unit === undefined) return fail(`"${part}" is not a ${what} (${Object.keys(units).join(', ')})`);
    return Number(m[1]) * unit;
  };
  const rateMbit = number(rate!, RATE_UNITS, 'rate');
  const rttMs = number(rtt!, TIME_UNITS, 'round trip', false);
  const lossPercent = number(loss.replace(/%$/, ''), {}, 'loss in percent', false);
  if (rateMbit <= 0) fail('the rate must be above 0');
  if (lossPercent > 100) fail('the loss is a percentage');
  const unit = /[a-z]+$/.exec(queue)?.[0] ?? '';
  const parsedQueue =
    unit in TIME_UNITS ? { ms: number(queue, TIME_UNITS, 'queue time') } : { bytes: Math.round(number(queue, BYTE_UNITS, 'queue size')) };
  return { text, rateMbit, rttMs, lossPercent, queue: parsedQueue, congestionControl };
}

/** The queue in bytes at the spec's rate. */
export function queueBytesOf(spec: LinkSpec): number {
  return 'bytes' in spec.queue ? spec.queue.bytes : Math.round((spec.queue.ms / 1000) * ((spec.rateMbit * 1e6) / 8));
}
