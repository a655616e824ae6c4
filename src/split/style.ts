/**
 * What a start tag's class names and inline style say about the text inside it, as bit flags the
 * scanner inherits down the open elements: bold, large, named like a title, part of a widget.
 * Email templates style their section titles instead of marking them up as headings; the
 * sanitizer keeps class names and these few style properties for this reason.
 */

/** Bold text: b, strong, a heading, or font-weight 600 and up. */
export const BOLD = 1;
/** Text set larger than body text: font-size of 18px, 14pt, 1.3em or 130% and up, or "large" and up. */
export const BIG = 2;
/** A class name that says title or heading (page_title, section-header, headline…). */
export const TITLE_CLASS = 4;
/** Inside a signup form, a share bar, a footer: nothing in it is a section of the issue. */
export const WIDGET = 8;
/** Inside a quote, a list item, a figure or an aside: headings there belong to that, not to the issue. */
export const ASIDE_STYLE = 16;
/** A subtitle, a byline, a preheader: a heading that introduces the title, no section. */
export const SUBTITLE = 32;

const TITLE_NAME = /(?:^|[\s_-])(?:title|heading|header|headline|hed)(?:$|[\s_-])/;
const SUBTITLE_NAME = /subtitle|sub-title|subhead|pretitle|preheader|byline|(?:^|[\s_-])dek(?:$|[\s_-])/;
const WIDGET_NAME = /subscri|sign-?up|formkit|ck_form|optin|opt-in|newsletter-form|share|social|footer|unsubscribe|preheader/;

/** Flags of a class attribute's value (lower case). */
export function classFlags(value: string): number {
  let flags = 0;
  if (SUBTITLE_NAME.test(value)) flags |= SUBTITLE;
  else if (TITLE_NAME.test(value)) flags |= TITLE_CLASS;
  if (WIDGET_NAME.test(value)) flags |= WIDGET;
  return flags;
}

/** A font-weight or font-size declaration: its property's last word and its value. */
const FONT_DECLARATION = /(?:^|;)\s*font-(weight|size)\s*:\s*([^;]*)/g;
const BOLD_WEIGHT = /^(?:bold|bolder|[6-9]00)\b/;
const SIZE = /^(?:(\d+(?:\.\d+)?)(px|pt|em|rem|%)|(large|x-large|xx-large|xxx-large))/;

/**
 * Flags of a style attribute's value (lower case). As in CSS, where a property is declared twice
 * the last declaration holds: `font-size:18px;font-size:14px` is not large (templates append their
 * overrides so).
 */
export function styleFlags(value: string): number {
  let weight: string | undefined;
  let size: string | undefined;
  FONT_DECLARATION.lastIndex = 0;
  for (let m = FONT_DECLARATION.exec(value); m; m = FONT_DECLARATION.exec(value)) {
    if (m[1] === "weight") weight = m[2];
    else size = m[2];
  }
  let flags = 0;
  if (weight !== undefined && BOLD_WEIGHT.test(weight)) flags |= BOLD;
  const large = size === undefined ? null : SIZE.exec(size);
  if (large) {
    if (large[3]) flags |= BIG;
    else {
      const v = Number(large[1]);
      const min = large[2] === "px" ? 18 : large[2] === "pt" ? 14 : large[2] === "%" ? 130 : 1.3;
      if (v >= min) flags |= BIG;
    }
  }
  return flags;
}
