/**
 * The sanitize-html library set up with our policy (src/sanitize/policy.ts): what the byte pass is
 * held to (differential.node.test.ts) and measured against (bench/sanitizer.ts). Node only.
 */
import type sanitizeLib from "sanitize-html";
import * as policy from "../../src/sanitize/policy.js";

const MEDIA = [...policy.MEDIA_SCHEMES];
export const LIBRARY: sanitizeLib.IOptions = {
  allowedTags: Object.keys(policy.ALLOWED),
  allowedAttributes: { "*": [...policy.GLOBAL_ATTRIBUTES], ...Object.fromEntries(Object.entries(policy.ALLOWED).map(([t, a]) => [t, [...a]])), a: ["href", "rel"] },
  allowedSchemes: [...policy.LINK_SCHEMES],
  allowedSchemesByTag: { img: [...MEDIA, "data"], video: MEDIA, audio: MEDIA, source: MEDIA, iframe: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite", "poster"],
  allowProtocolRelative: true,
  allowedIframeHostnames: [...policy.IFRAME_HOSTS],
  allowedStyles: { "*": Object.fromEntries(Object.entries(policy.STYLES).map(([p, re]) => [p, [re]])) },
  nonTextTags: [...policy.DROPPED_WITH_CONTENT, "iframe"],
  disallowedTagsMode: "discard",
  parseStyleAttributes: true,
};
