/**
 * An entry's XML without its bodies (title, link, dates, ids, categories: a few hundred bytes),
 * read without the XML parser when it has the plain shape nearly every feed gives it. The result
 * is what `parseXml` (fast-xml-parser, as set up in xml.ts) gives for the same text; anything
 * outside that shape — mixed text and elements, CDATA outside a stop node, comments, processing
 * instructions but the XML declaration, attributes without a quoted value, a repeated attribute,
 * a mismatched end tag, a name an object already has, nesting deeper than 32 — is left to it
 * (undefined): the parser's setup per call costs more than such a small fragment (BENCHMARKS.md,
 * "A refresh fits the free plan's 10 ms of CPU"). test/parse/fragment.test.ts holds the two to the same output.
 */
import { CONTENT_ELEMENTS, type XmlNode } from "./xml.js";

/** Stop nodes: their inner markup is the value, raw. */
const STOP = new Set(CONTENT_ELEMENTS);
/** Names the parser always makes arrays of (its `isArray` in xml.ts). */
const ARRAY = new Set(["item", "entry", "category", "link"]);

/** `parseXml(src)` for one element with plain content, or undefined: ask the parser. */
export function parseSimpleXml(src: string): XmlNode | undefined {
  // Line ends as XML reads them (the parser does so too).
  if (src.includes("\r")) src = src.replace(/\r\n?/g, "\n");
  // The XML declaration of a feed's head (other processing instructions: the parser).
  let start = 0;
  if (src.startsWith("<?xml ")) {
    const end = src.indexOf("?>");
    if (end < 0 || src.startsWith("<?", skipSpace(src, end + 2))) return undefined;
    start = skipSpace(src, end + 2);
  }
  const read = element(src, start);
  if (!read || !isSpace(src, read.end, src.length)) return undefined;
  return { [read.name]: ARRAY.has(read.name) ? [read.value] : read.value };
}

interface Read {
  name: string;
  value: unknown;
  /** Just after the element's end tag. */
  end: number;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
/** An attribute, after the whitespace before it: name = "value" or 'value'. */
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')/y;

/** Deeper than this, the parser reads it (no stack to overflow here). */
const MAX_DEPTH = 32;

/** The element whose "<" is at `at`, `depth` elements deep. */
function element(src: string, at: number, depth = 0): Read | undefined {
  if (src.charCodeAt(at) !== 60 /* < */ || depth > MAX_DEPTH) return undefined;
  const tag = startTag(src, at);
  if (!tag) return undefined;
  const { name, attrs } = tag;
  if (tag.empty) return { name, value: attrs ?? "", end: tag.end };
  return STOP.has(name) ? stopNode(src, tag) : content(src, tag, depth);
}

interface StartTag {
  name: string;
  attrs: XmlNode | undefined;
  /** Just after its ">". */
  end: number;
  /** Written `<name/>`. */
  empty: boolean;
}

/** The start tag at `at`: its name and attributes, or undefined when it is not plain. */
function startTag(src: string, at: number): StartTag | undefined {
  NAME.lastIndex = at + 1;
  const name = NAME.exec(src)?.[0];
  // Names an object has already (toString, constructor, __proto__…): the parser renames or refuses them.
  if (!name || name in Object.prototype || name === "prototype") return undefined;
  let k = at + 1 + name.length;
  let attrs: XmlNode | undefined;
  for (;;) {
    const spaced = skipSpace(src, k);
    const c = src.charCodeAt(spaced);
    if (c === 62 /* > */) return { name, attrs, end: spaced + 1, empty: false };
    if (c === 47 /* / */) return src.charCodeAt(spaced + 1) === 62 ? { name, attrs, end: spaced + 2, empty: true } : undefined;
    if (spaced === k) return undefined; // no space before an attribute
    ATTRIBUTE.lastIndex = spaced;
    const m = ATTRIBUTE.exec(src);
    if (!m) return undefined;
    attrs ??= {};
    const key = `@${m[1]!}`;
    if (key in attrs) return undefined;
    attrs[key] = m[2] ?? m[3]!;
    k = ATTRIBUTE.lastIndex;
  }
}

/** A stop node's content: raw up to the end tag. The parser counts nested elements of the same name: left to it. */
function stopNode(src: string, { name, attrs, end: k }: StartTag): Read | undefined {
  const close = `</${name}`;
  const end = src.indexOf(close, k);
  const nested = src.indexOf(`<${name}`, k);
  if (end < 0 || (nested >= 0 && nested < end)) return undefined;
  const after = endTag(src, end + close.length);
  if (after < 0) return undefined;
  return { name, value: leaf(src.slice(k, end), attrs), end: after };
}

/** An element's content up to its end tag: text, or child elements with only whitespace between them. */
function content(src: string, { name, attrs, end }: StartTag, depth: number): Read | undefined {
  const close = `</${name}`;
  let k = end;
  let text = "";
  let children: XmlNode | undefined;
  for (;;) {
    const lt = src.indexOf("<", k);
    if (lt < 0) return undefined;
    text += src.slice(k, lt);
    if (src.charCodeAt(lt + 1) === 47 /* / */) {
      if (!src.startsWith(close, lt)) return undefined;
      const after = endTag(src, lt + close.length);
      if (after < 0) return undefined;
      if (!children) return { name, value: leaf(text, attrs), end: after };
      // Elements with only whitespace between them: the parser keeps that whitespace as text.
      if (!isSpace(text, 0, text.length)) return undefined;
      const value: XmlNode = attrs ? { ...children, ...attrs } : children;
      if (text) value["#text"] = text;
      return { name, value, end: after };
    }
    const child = element(src, lt, depth + 1);
    if (!child) return undefined;
    children ??= {};
    add(children, child);
    k = child.end;
  }
}

/**
 * A child element into its parent's object: a repeated name becomes the list of its values (a value
 * is a string or an object, so an array there is such a list).
 */
function add(children: XmlNode, child: Read): void {
  const known = Object.hasOwn(children, child.name) ? children[child.name] : undefined;
  if (known === undefined) children[child.name] = ARRAY.has(child.name) ? [child.value] : child.value;
  else if (Array.isArray(known)) known.push(child.value);
  else children[child.name] = [known, child.value];
}

/** An element without child elements: its text, or its attributes with the text as "#text" when there is some. */
function leaf(text: string, attrs: XmlNode | undefined): unknown {
  if (!attrs) return text;
  return text ? { ...attrs, "#text": text } : attrs;
}

/** After an end tag's name at `at`: optional whitespace and ">"; -1 if not so. */
function endTag(src: string, at: number): number {
  const k = skipSpace(src, at);
  return src.charCodeAt(k) === 62 ? k + 1 : -1;
}

function skipSpace(src: string, k: number): number {
  for (let c = src.charCodeAt(k); c === 32 || c === 10 || c === 9 || c === 13; c = src.charCodeAt(++k));
  return k;
}

function isSpace(src: string, from: number, to: number): boolean {
  return skipSpace(src, from) >= to;
}
