import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a webhook may not reach (SSRF protection): everything that is not a public
 * unicast address on the Internet. Pure; `refusedRange` names the range in French for the log.
 */

type Range4 = [base: number, bits: number, label: string];

const v4 = (a: string) => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const RANGES_V4: Range4[] = [
  [v4('0.0.0.0'), 8, 'adresse non spécifiée (0.0.0.0/8)'],
  [v4('10.0.0.0'), 8, 'réseau privé (10.0.0.0/8)'],
  [v4('100.64.0.0'), 10, 'réseau partagé d’opérateur (100.64.0.0/10)'],
  [v4('127.0.0.0'), 8, 'boucle locale (127.0.0.0/8)'],
  [v4('169.254.0.0'), 16, 'adresse lien-local (169.254.0.0/16)'],
  [v4('172.16.0.0'), 12, 'réseau privé (172.16.0.0/12)'],
  [v4('192.0.0.0'), 24, 'plage réservée (192.0.0.0/24)'],
  [v4('192.0.2.0'), 24, 'plage de documentation (192.0.2.0/24)'],
  [v4('192.168.0.0'), 16, 'réseau privé (192.168.0.0/16)'],
  [v4('198.18.0.0'), 15, 'plage de tests (198.18.0.0/15)'],
  [v4('198.51.100.0'), 24, 'plage de documentation (198.51.100.0/24)'],
  [v4('203.0.113.0'), 24, 'plage de documentation (203.0.113.0/24)'],
  [v4('224.0.0.0'), 4, 'adresse de multidiffusion (224.0.0.0/4)'],
  [v4('240.0.0.0'), 4, 'plage réservée (240.0.0.0/4)'],
];

function refusedV4(address: string): string | null {
  const n = v4(address);
  for (const [base, bits, label] of RANGES_V4) {
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return label;
  }
  return null;
}

/** The 8 groups of an IPv6 address (with an embedded dotted IPv4 tail converted). */
function groupsV6(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!; // zone index (fe80::1%eth0)
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const n = v4(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  if (tail === null) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const embeddedV4 = (g: number[], at: number) => `${g[at]! >> 8}.${g[at]! & 0xff}.${g[at + 1]! >> 8}.${g[at + 1]! & 0xff}`;

function refusedV6(address: string): string | null {
  const g = groupsV6(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'adresse non spécifiée (::)';
  if (zeros(0, 7) && g[7] === 1) return 'boucle locale (::1)';
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d), compatible (::a.b.c.d),
  // NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::) — judged by the IPv4 address they lead to.
  const inner =
    zeros(0, 5) && g[5] === 0xffff
      ? embeddedV4(g, 6)
      : zeros(0, 4) && g[4] === 0xffff && g[5] === 0
        ? embeddedV4(g, 6)
        : zeros(0, 6)
          ? embeddedV4(g, 6)
          : g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)
            ? embeddedV4(g, 6)
            : g[0] === 0x2002
              ? embeddedV4(g, 1)
              : null;
  if (inner) {
    const reason = refusedV4(inner);
    return reason ? `${reason} dans une adresse IPv6` : null;
  }
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'adresse locale unique (fc00::/7)';
  if ((first & 0xffc0) === 0xfe80) return 'adresse lien-local (fe80::/10)';
  if ((first & 0xffc0) === 0xfec0) return 'adresse de site (fec0::/10)';
  if ((first & 0xff00) === 0xff00) return 'adresse de multidiffusion (ff00::/8)';
  if (first === 0x2001 && g[1] === 0x0db8) return 'plage de documentation (2001:db8::/32)';
  if (first === 0x0100 && zeros(1, 4)) return 'plage de rejet (100::/64)';
  return null;
}

/**
 * Why a webhook may not connect to this IP address (a French phrase), or null for a public
 * address. Anything that is not an IP address is refused too.
 */
export function refusedRange(address: string): string | null {
  if (isIPv4(address)) return refusedV4(address);
  if (isIPv6(address)) return refusedV6(address);
  return 'adresse IP invalide';
}
