/**
 * Is this URL's host on loopback, a private network, link-local or otherwise not the public
 * internet? The WHATWG URL parser has already normalised IPv4 spellings (0x7f.1, 2130706433,
 * 127.1 all become 127.0.0.1) and bracketed IPv6, so only canonical forms are checked here.
 * Host names are checked by name (localhost, *.localhost, *.internal, *.local, and
 * single-label names); a public name that resolves to a private address is the platform's to
 * refuse (Workers cannot reach private networks from the edge).
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) return isPrivateIpv6(host.slice(1, -1));
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) return isPrivateIpv4(v4.slice(1).map(Number));
  if (!host.includes(".")) return true; // "localhost", intranet names
  return /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/.test(host);
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || // this network, private, loopback
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a! >= 224 // multicast, reserved, broadcast
  );
}

/**
 * An IPv6 address is private when it is loopback, unspecified, unique local (fc00::/7),
 * link-local (fe80::/10), site-local (fec0::/10), multicast, discard-only (100::/64) or
 * documentation (2001:db8::/32), or when it embeds an IPv4 address that is private: IPv4-compatible
 * (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64
 * (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32, the client address).
 */
function isPrivateIpv6(ip: string): boolean {
  const h = hextets(ip);
  if (!h) return true; // not an address we can read: refuse it
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => isPrivateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  if (zeros(0, 6)) return h[6] === 0 && h[7]! <= 1 ? true : v4(h[6]!, h[7]!); // ::, ::1, ::a.b.c.d
  if (zeros(0, 5) && h[5] === 0xffff) return v4(h[6]!, h[7]!); // mapped
  if (zeros(0, 4) && h[4] === 0xffff && h[5] === 0) return v4(h[6]!, h[7]!); // translated
  if (h[0] === 0x64 && h[1] === 0xff9b) return h[2] === 1 || v4(h[6]!, h[7]!); // NAT64 (local use: refuse)
  if (h[0] === 0x2002) return v4(h[1]!, h[2]!); // 6to4
  if (h[0] === 0x2001 && h[1] === 0) return v4(h[6]! ^ 0xffff, h[7]! ^ 0xffff); // Teredo
  const first = h[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated, still routed inside sites)
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x100 && zeros(1, 4)) || // discard-only 100::/64
    (first === 0x2001 && h[1] === 0xdb8) // documentation
  );
}

/** The eight 16-bit groups of an IPv6 address (with "::" and a trailing dotted IPv4 part), or undefined. */
function hextets(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part ? part.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : Number.NaN)) : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) ? undefined : groups;
}
