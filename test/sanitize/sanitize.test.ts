/**
 * The sanitizer, one rule a case: a small inline input and what a reader gets. The policy is
 * src/sanitize/policy.ts; the differential test (differential.node.test.ts) holds the pass to the
 * sanitize-html library on every fixture, and the hostile corpus (test/hostile/) runs through the
 * worker.
 */
import { describe, expect, it } from "vitest";
import { VOID_ELEMENTS } from "../../src/lib/tags.js";
import { utf8Bytes, utf8Text } from "../../src/lib/utf8.js";
import { sanitizeHtml, sanitizeUtf8 } from "../../src/sanitize/index.js";

const REL = ' rel="noopener noreferrer"';

describe("sanitize: what stays as it is", () => {
  it.each([
    "<p>Hello <b>world</b></p>",
    "<ul><li><strong>Llama 3</strong>: 8B and 70B</li></ul>",
    '<h2 id="sec-1" class="header">A &amp; B</h2>',
    '<img src="https://example.com/a.png" alt="a">',
    "<table><tbody><tr><td>1</td></tr></tbody></table>",
    "a &lt;script&gt; shown as text",
    '<p style="font-weight:bold">t</p>',
  ])("%s", (html) => {
    expect(sanitizeHtml(html)).toBe(html);
  });

  it("clean UTF-8 comes back as the same object: no copy", () => {
    const html = { bytes: utf8Bytes("<p>clean — and <em>unchanged</em></p>") };
    expect(sanitizeUtf8(html).bytes).toBe(html.bytes);
  });
});

describe("sanitize: links", () => {
  it.each([
    ['<a href="https://x.com/a?b=1&amp;c=2">x</a>', `<a href="https://x.com/a?b=1&amp;c=2"${REL}>x</a>`],
    ['<a href="mailto:a@b.c">m</a>', `<a href="mailto:a@b.c"${REL}>m</a>`],
    ['<a href="/relative">r</a>', `<a href="/relative"${REL}>r</a>`],
    ['<a href="javascript:alert(1)">x</a>', `<a${REL}>x</a>`],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', `<a${REL}>x</a>`],
    ['<a href="&#106;avascript:alert(1)">x</a>', `<a${REL}>x</a>`],
    ['<a href="&#x6A;avascript&colon;alert(1)">x</a>', `<a${REL}>x</a>`],
    ['<a href=" \tjava\nscript:alert(1)">x</a>', `<a${REL}>x</a>`],
    ['<a href="vbscript:msgbox(1)">x</a>', `<a${REL}>x</a>`],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', `<a${REL}>x</a>`],
    ['<a href="https://a.example/" rel="opener" target="_top">x</a>', `<a href="https://a.example/"${REL}>x</a>`],
    ['<a href="https://a.example/?q=a>b">x</a>', `<a href="https://a.example/?q=a&gt;b"${REL}>x</a>`],
  ])("%s", (html, expected) => {
    expect(sanitizeHtml(html)).toBe(expected);
  });
});

describe("sanitize: media", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", '<img src="x">'],
    ['<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"],
    ['<img src="javascript:alert(1)" srcset="javascript:alert(2) 2x">', "<img>"],
    ['<img srcset="https://a/1.png 1x, https://a/2.png 2x">', '<img srcset="https://a/1.png 1x, https://a/2.png 2x">'],
    ['<video poster="javascript:alert(1)" src="https://a/v.mp4" autoplay></video>', '<video src="https://a/v.mp4"></video>'],
    ['<iframe src="https://www.youtube.com/embed/x" width=500 onload=x>fallback</iframe>z', '<iframe src="https://www.youtube.com/embed/x" width="500"></iframe>z'],
    ['<iframe src="https://evil.example/"><p>x</p></iframe>z', "z"],
    ['<iframe srcdoc="<script>alert(1)</script>"></iframe>z', "z"],
    ['<object data="x.swf"><embed src="x.swf"></object>z', "z"],
  ])("%s", (html, expected) => {
    expect(sanitizeHtml(html)).toBe(expected);
  });
});

describe("sanitize: elements dropped, unwrapped, attributes", () => {
  it.each([
    ["<script>alert(1)</script><p>after</p>", "<p>after</p>"],
    ["<SCRIPT SRC=//x.example/x.js></SCRIPT>ok", "ok"],
    ["<style>p{}</style><noscript><img src=x></noscript>ok", "ok"],
    ["<svg><style></svg><img src=x onerror=alert(1)></style></svg><p>ok</p>", "<p>ok</p>"],
    ["<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""],
    ['<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">ok', "ok"],
    ['<form action="https://evil.example/"><input name=a><button>Go</button></form>', "Go"],
    ["<template><img src=x onerror=1></template>ok", "ok"],
    ["<!-- a comment --><!--[if mso]><table><![endif]-->ok", "ok"],
    ["<![CDATA[<img src=x onerror=1>]]>ok", "]]>ok"], // HTML reads a comment up to the first ">"
    ["<?php echo 1 ?>ok", "ok"],
    ['<div onclick="alert(1)" data-x="1" style="position:fixed;top:0;font-weight:700">t</div>', '<div style="font-weight:700">t</div>'],
    ['<p class="a b c<script>">t</p>', '<p class="a b">t</p>'],
    ['<p class="keep x<y">t</p>', '<p class="keep">t</p>'], // a name that is also a word the pass uses
    ['<h2 id="x&quot; onmouseover=&quot;alert(1)">t</h2>', "<h2>t</h2>"],
    ['<font face="x" color="red">red</font><center>c</center>', "redc"],
    ['<div title=\'a"b\'>t</div>', '<div title="a&quot;b">t</div>'],
    ['<td width="100" height="x" colspan="2;x">c</td>', '<td width="100">c</td>'],
    ['<p style="background:url(javascript:alert(1))">t</p>', "<p>t</p>"],
    ['<p STYLE="FONT-WEIGHT: BOLD">t</p>', '<p style="font-weight:bold">t</p>'],
    // An email template's `!important`: the value kept, the mark not; a value the policy refuses still goes.
    ['<span style="font-weight: 500 !important; font-size: 18px ! important; color: #000">t</span>', '<span style="font-weight:500;font-size:18px">t</span>'],
    ['<span style="font-size: url(x) !important">t</span>', "<span>t</span>"],
    ['<a href="https://a/" href="javascript:alert(1)">x</a>', `<a href="https://a/"${REL}>x</a>`],
    ['<img """><script>alert(1)</script>">', '<img>">'],
    ["<scr<script>ipt>alert(1)</script>", "ipt>alert(1)"], // a tag named "scr<script", then text
  ])("%s", (html, expected) => {
    expect(sanitizeHtml(html)).toBe(expected);
  });
});

describe("sanitize: well-formed output", () => {
  it.each([
    ["<p>a<div>b</div>", "<p>a</p><div>b</div>"],
    ["<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"],
    ["<b><i>x</b></i>", "<b><i>x</i></b>"],
    ["<table><tr><td>a<td>b</table>", "<table><tr><td>a</td><td>b</td></tr></table>"],
    ["<p><a href=x><a href=y>z</a>", `<p><a href="x"${REL}></a><a href="y"${REL}>z</a></p>`],
    ["</div></p>text</b>", "text"],
    ["<div><p>open", "<div><p>open</p></div>"],
    ["<h2>a<h3>b</h3>", "<h2>a</h2><h3>b</h3>"],
    ["<DIV>up</DIV>", "<div>up</div>"],
    ["<p/>x<br/>", "<p>x<br/></p>"],
    ["a < b, <3, </ 5 > c", "a &lt; b, &lt;3,  c"],
    ['<a href="x"', ""],
    ["<p>cut <b", "<p>cut </p>"],
    ["<div><table><tr><td></div>in cell</td></tr></table></div>", "<div><table><tr><td>in cell</td></tr></table></div>"],
  ])("%s", (html, expected) => {
    expect(sanitizeHtml(html)).toBe(expected);
  });

  it.each([
    "<p>a<div>b</div>",
    "<ul><li>a<li>b</ul><p>c",
    "<DIV>up</DIV><P>x</p >",
    "<h2>a<h3>b</h3><p/>x<br/>",
    '<div><a href="x">one</a><!-- c --><script>x</script></div>tail<table><tr><td>cell',
    "</div></p>text</b><br><hr><img src=x>",
    "<b><i>x</b></i><foo><em>kept</em></foo>",
  ])("the top-level elements of %s are noted where the output has them", (html) => {
    const out = sanitizeUtf8({ bytes: utf8Bytes(html) });
    expect([...out.blocks!]).toEqual(topLevelElements(out.bytes));
  });

  it("the decoder's notes move with the edits: every '<' and every multi-byte character", () => {
    const html = '<p>é<a href="h">日本</a><script>x</script>ü😀</p><foo>ñ</foo>';
    const bytes = utf8Bytes(html);
    const lt = Int32Array.from([...bytes.keys()].filter((k) => bytes[k] === 60));
    const wide = Int32Array.from([...bytes.keys()].filter((k) => bytes[k]! >= 0xc0).flatMap((k) => [k, bytes[k]! >= 0xe0 ? 2 : 1]));
    const out = sanitizeUtf8({ bytes, lt, wide });
    const b = out.bytes;
    expect(utf8Text(b)).toBe(`<p>é<a href="h"${REL}>日本</a>ü😀</p>ñ`);
    expect([...out.lt!]).toEqual([...b.keys()].filter((k) => b[k] === 60));
    expect([...out.wide!]).toEqual([...b.keys()].filter((k) => b[k]! >= 0xc0).flatMap((k) => [k, b[k]! >= 0xe0 ? 2 : 1]));
  });
});

/** Where each top-level element of balanced HTML starts and ends, walked tag by tag. */
function topLevelElements(b: Uint8Array): number[] {
  const html = utf8Text(b);
  const extents: number[] = [];
  let depth = 0;
  for (const m of html.matchAll(/<(\/?)([a-z][a-z0-9]*)[^>]*>/g)) {
    const at = utf8Bytes(html.slice(0, m.index)).length;
    if (m[1]) {
      if (--depth === 0) extents.push(at + m[0].length);
    } else if (!VOID_ELEMENTS.split(" ").includes(m[2]!)) {
      if (depth++ === 0) extents.push(at);
    }
  }
  return extents;
}
