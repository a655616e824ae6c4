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

function isPrivateIpv6(ip: string): boolean {
  if (ip === "::" || ip === "::1") return true;
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(ip);
  if (mapped) {
    if (mapped[1]) return isPrivateIpv4(mapped[1].split(".").map(Number));
    const hi = parseInt(mapped[2]!, 16);
    return isPrivateIpv4([hi >> 8, hi & 255]);
  }
  const first = parseInt(ip.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    ip.startsWith("64:ff9b:") // NAT64 can reach IPv4 private space
  );
}
