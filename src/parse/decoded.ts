import { type Utf8Html, utf8Text } from "../lib/utf8.js";
import { relativeUrlTags } from "./links.js";

/** A body decoded from bytes: its HTML as UTF-8, and where it may hold relative URLs. */
export class DecodedBody {
  #text?: string;
  /** The tags that hold a relative URL (links.ts' `relativeUrlTags`); undefined when unsure. */
  readonly relativeTags: [number, number][] | undefined;

  /** `equals`: the offset of every "=" in the HTML, in order, when the decoder noted them. */
  constructor(
    readonly html: Utf8Html,
    equals?: Int32Array,
  ) {
    this.relativeTags = relativeUrlTags(html.bytes, equals);
  }

  /** The HTML as a string, decoded on first use. */
  get text(): string {
    return (this.#text ??= utf8Text(this.html.bytes));
  }
}
