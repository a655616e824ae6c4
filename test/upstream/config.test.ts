import { describe, expect, it } from "vitest";
import { ConfigError, parseFeedsConfig } from "../../src/upstream/config.js";

describe("FEEDS", () => {
  it("reads entries with defaults", () => {
    expect(parseFeedsConfig('[{"id":"a","url":"https://x.example/rss"},{"id":"b","url":"/s.xml","title":"B","preset":"ainews"}]')).toEqual([
      { id: "a", url: "https://x.example/rss", title: undefined, preset: "headings" },
      { id: "b", url: "/s.xml", title: "B", preset: "ainews" },
    ]);
  });

  it("reads the languages the cron translates into, in canonical form", () => {
    expect(parseFeedsConfig('[{"id":"a","url":"https://x.example/rss","languages":["zh","ZH-tw","zh"]}]')[0]!.languages).toEqual(["zh", "zh-TW"]);
  });

  it.each([
    [undefined, /FEEDS is not set/],
    ['[{"id":"a","url":"https://x","languages":"zh"}]', /languages must be a list of language tags/],
    ['[{"id":"a","url":"https://x","languages":["chinese!"]}]', /languages must be a list of language tags/],
    ["[oops", /not valid JSON/],
    ['{"id":"a"}', /JSON array/],
    ['[{"id":"A b","url":"https://x"}]', /FEEDS\[0\]\.id must be lower-case/],
    ['[{"id":"a","url":"https://x"},{"id":"a","url":"https://y"}]', /"a" is listed twice/],
    ['[{"id":"a","url":"ftp://x"}]', /FEEDS\[0\]\.url must be an http\(s\) URL/],
    ['[{"id":"a","url":"https://x","preset":"smol"}]', /preset must be one of ainews, headings/],
  ])("%j is refused: %s", (raw, message) => {
    expect(() => parseFeedsConfig(raw)).toThrow(ConfigError);
    expect(() => parseFeedsConfig(raw)).toThrow(message);
  });
});
