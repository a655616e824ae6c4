import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isPrivateHost } from "../../src/upstream/address.js";
import { hashBytes } from "../../src/lib/hash.js";
import { fetchUpstream, UpstreamError } from "../../src/upstream/fetch.js";

afterEach(() => vi.restoreAllMocks());

describe("private addresses", () => {
  it.each(["localhost", "foo.localhost", "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "[fd00::1]", "[fe80::1]", "[::ffff:7f00:1]", "intranet", "printer.local", "db.internal"])(
    "%s is private",
    (host) => expect(isPrivateHost(host)).toBe(true),
  );
  it.each(["news.smol.ai", "8.8.8.8", "172.32.0.1", "[2606:4700::1]", "fixtures.test"])("%s is public", (host) => expect(isPrivateHost(host)).toBe(false));

  it.each(["http://127.0.0.1/feed", "http://2130706433/feed", "http://0x7f.1/feed", "http://[::1]:8080/", "http://localhost:8787/x"])(
    "refuses %s before any request is made",
    async (url) => {
      const spy = vi.spyOn(globalThis, "fetch");
      await expect(fetchUpstream(url)).rejects.toThrow(/refused to fetch .*private-network upstreams are off/);
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    },
  );

  it("refuses a redirect to a private address", async () => {
    await expect(fetchUpstream("https://redirect.test/?to=http://192.168.0.1/feed")).rejects.toThrow(/refused to fetch 192\.168\.0\.1/);
  });

  it("fetches private addresses when allowed (local development)", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("<rss/>"));
    const res = await fetchUpstream("http://127.0.0.1:9/feed", { allowPrivate: true });
    expect(res).toMatchObject({ notModified: false, body: "<rss/>" });
    spy.mockRestore();
  });
});

describe("fetchUpstream", () => {
  it("follows redirects to a public address and reports where it landed", async () => {
    const res = await fetchUpstream("https://redirect.test/?to=https://fixtures.test/parse/testdata/feed.json");
    expect(res).toMatchObject({ notModified: false, url: "https://fixtures.test/parse/testdata/feed.json" });
  });

  it("turns HTTP errors into an UpstreamError with the status", async () => {
    const err = await fetchUpstream("https://status.test/503").catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 503, message: "https://status.test/503 answered HTTP 503" });
  });

  it("sends validators and reports 304 as not modified", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(null, { status: 304 }));
    const res = await fetchUpstream("https://x.example/feed", { etag: '"v1"', lastModified: "Tue, 16 Apr 2024 10:00:00 GMT" });
    expect(res).toEqual({ notModified: true, status: 304 });
    const headers = new Headers(spy.mock.calls[0]![1]!.headers);
    expect(headers.get("If-None-Match")).toBe('"v1"');
    expect(headers.get("If-Modified-Since")).toBe("Tue, 16 Apr 2024 10:00:00 GMT");
    spy.mockRestore();
  });

  it("caps the body size", async () => {
    await expect(fetchUpstream("https://fixtures.test/fixtures/upstream/twir-2026.atom.xml", { maxBytes: 50_000 })).rejects.toThrow(/over the 50000-byte cap/);
  });

  // As sent: with its length, or as a stream of unknown length.
  it.each(["", "?as=chunked"])("reads a large body whole and caps it too (%s)", async (as) => {
    const url = `https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml${as}`;
    const sent = await fetch(url);
    expect(sent.headers.has("Content-Length")).toBe(as === "");
    const expected = new Uint8Array(await sent.arrayBuffer());
    expect(expected.byteLength).toBeGreaterThan(8_000_000);
    const res = await fetchUpstream(url);
    expect(res.notModified).toBe(false);
    if (!res.notModified) {
      expect(res.bytes).toBe(expected.byteLength);
      expect(hashBytes(res.raw)).toBe(hashBytes(expected));
    }
    await expect(fetchUpstream(url, { maxBytes: 5_000_000 })).rejects.toThrow(/over the 5000000-byte cap/);
    await expect(fetchUpstream(url, { maxBytes: expected.byteLength })).resolves.toMatchObject({ bytes: expected.byteLength });
    await expect(fetchUpstream(url, { maxBytes: expected.byteLength - 1 })).rejects.toThrow(/over the/);
  });

  it("reads a body of known length in one read, without a stream reader (whose reads detach buffers)", async () => {
    const reader = vi.spyOn(ReadableStream.prototype, "getReader");
    const res = await fetchUpstream("https://fixtures.test/fixtures/upstream/twir-2026.atom.xml");
    expect(res.notModified).toBe(false);
    expect(reader).not.toHaveBeenCalled();
    await fetchUpstream("https://fixtures.test/fixtures/upstream/twir-2026.atom.xml?as=chunked");
    expect(reader).toHaveBeenCalledTimes(1);
  });

  it("reads a compressed body through the reader: its Content-Length is the compressed length, not the body's", async () => {
    // As a runtime may hand it over when it decoded the body: the headers as sent.
    const body = "<rss>" + "x".repeat(100_000) + "</rss>";
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(body, { headers: { "Content-Encoding": "gzip", "Content-Length": "400" } }));
    const reader = vi.spyOn(ReadableStream.prototype, "getReader");
    await expect(fetchUpstream("https://x.example/feed")).resolves.toMatchObject({ bytes: body.length });
    expect(reader).toHaveBeenCalled();
    await expect(fetchUpstream("https://x.example/feed", { maxBytes: 50_000 })).rejects.toThrow(/over the 50000-byte cap/);
  });

  it("gives up after the timeout", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(
      (_url, init) => new Promise((_, reject) => init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason))),
    );
    await expect(fetchUpstream("https://slow.example/feed", { timeoutMs: 50 })).rejects.toThrow(/no answer from https:\/\/slow\.example\/feed within 50 ms/);
    spy.mockRestore();
  });

  it("reads bundled files through the ASSETS binding", async () => {
    const res = await fetchUpstream("/twir-2026.atom.xml", { assets: env.ASSETS });
    expect(res.notModified).toBe(false);
    if (!res.notModified) expect(res.body).toContain("<title>This Week in Rust</title>");
  });
});
