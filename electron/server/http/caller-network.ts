// The unit a caller is counted by when scarce work is shared out or sign-ins are rate limited per address.
// An IPv4 address is one caller. An IPv6 address is not: one subscriber or cloud host is routinely given a
// whole /64 (2^64 addresses), so counting full addresses would give one stranger as many shares as they
// like. Its first 64 bits name the caller instead. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, how a
// dual-stack socket reports an IPv4 caller) is that IPv4 address.
//
// A /64 is not the whole of what one IPv6 subscriber holds either: a home line routinely gets a /56 (256
// /64s) and a site a /48 (65,536), so a stranger with one of those has as many /64s as they like too.
// callerPrefixes names the /56 and /48 a caller's /64 belongs to, so that what they may hold is also capped
// per /56 and per /48 (password-work.ts, the sign-in rate limit). An IPv4 caller has none: an office's
// neighbours on its /24 are other offices, and its address is already one scarce thing.
import { isIPv6 } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function callerNetwork(ip: string): string {
  const mapped = IPV4_MAPPED.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!; // a zone id (fe80::1%eth0) names the server's interface, not the caller
  if (!isIPv6(address)) return ip;
  return `${expandedGroups(address).slice(0, 4).join(':')}::/64`;
}

/** The wider IPv6 networks a caller belongs to, the /56 then the /48; none for an IPv4 caller. */
export function callerPrefixes(ip: string): string[] {
  if (IPV4_MAPPED.test(ip)) return [];
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return [];
  const groups = expandedGroups(address);
  const fourth = (parseInt(groups[3]!, 16) & 0xff00).toString(16);
  return [`${[...groups.slice(0, 3), fourth].join(':')}::/56`, `${groups.slice(0, 3).join(':')}::/48`];
}

/** The /48 of an IPv6 caller, or the IPv4 caller's address: the key of the wider sign-in rate limit. */
export function callerSite(ip: string): string {
  return callerPrefixes(ip).at(-1) ?? callerNetwork(ip);
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function expandedGroups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  // A trailing dotted IPv4 part (64:ff9b::192.0.2.1) fills the last two groups.
  const width = (groups: string[]) => groups.length + (groups.at(-1)?.includes('.') ? 1 : 0);
  const before = groupsOf(head);
  const after = tail === undefined ? [] : groupsOf(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(before) - width(after)).fill('0');
  return [...before, ...zeros, ...after].map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)));
}
