import { Parser } from "htmlparser2";

/** Attributes a browser reads as URLs. */
const URL_ATTRIBUTES = new Set(["href", "src", "srcset", "poster", "cite", "action", "formaction", "data", "background", "xlink:href", "codebase", "dynsrc", "lowsrc"]);

/** What a reader's HTML parser finds that it must not: dropped elements, handlers, script URLs. */
export function unsafe(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (["script", "style", "object", "embed", "base", "meta", "form", "svg", "math", "link", "template", "frame", "frameset", "noscript"].includes(name)) found.push(`<${name}>`);
        if (name === "iframe" && !/^https:\/\/(www\.)?(youtube(-nocookie)?\.com|player\.vimeo\.com)\//.test(attrs.src ?? "")) found.push(`<iframe src=${attrs.src}>`);
        for (const [k, v] of Object.entries(attrs)) {
          if (k.startsWith("on") || k === "srcdoc" || k === "formaction") found.push(`${name} ${k}`);
          if (!URL_ATTRIBUTES.has(k)) continue;
          const url = v.replace(/[\u0000-\u0020]/g, "").toLowerCase();
          if (/^(javascript|vbscript):/.test(url) || (url.startsWith("data:") && !(name === "img" && /^data:image\/(png|jpe?g|gif|webp|avif)[;,]/.test(url)))) found.push(`${name} ${k}=${v.slice(0, 40)}`);
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}
