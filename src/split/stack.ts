/**
 * The splitter's scan (./scan.ts) keeps the elements open at each point here, one typed array per
 * field: an element's tag key, its kind flags, where it starts, and the counters and style it
 * opened with.
 */
export class Stack {
  names = new Float64Array(64);
  kinds = new Int32Array(64);
  starts = new Int32Array(64);
  /** The content counter and the plain-text counter when the element opened, and the marks found before it. */
  content = new Int32Array(64);
  plain = new Int32Array(64);
  big = new Int32Array(64);
  marks = new Int32Array(64);
  /** NAMED_SECTION, NAMED_TOPIC or 0 (./named.ts). */
  roles = new Int32Array(64);
  /** Inherited style: ./style.ts's flags. */
  style = new Int32Array(64);
  /** Where a large run that opens the element (a paragraph) ends; 0 if none. */
  lead = new Int32Array(64);
  /** The content counter where a link that opens the element ends; -1 if none. */
  link = new Int32Array(64);
  /**
   * Which part of a template the element is: a number made of its tag names from the nearest
   * element with a class (itself or an ancestor) down to it, with that element's class names; 0
   * when none has a class. `classed`: 1 when it has a class itself (a template's block).
   */
  template = new Int32Array(64);
  classed = new Int32Array(64);
  depth = 0;

  push(key: number, kind: number, start: number, content: number, plain: number, big: number, marks: number, style: number, role = 0, template = 0, classed = 0): void {
    if (this.depth === this.names.length) this.grow();
    const d = this.depth++;
    this.roles[d] = role;
    this.template[d] = template;
    this.classed[d] = classed;
    this.lead[d] = 0;
    this.link[d] = -1;
    this.big[d] = big;
    this.names[d] = key;
    this.kinds[d] = kind;
    this.starts[d] = start;
    this.content[d] = content;
    this.plain[d] = plain;
    this.marks[d] = marks;
    this.style[d] = style;
  }

  private grow(): void {
    const twice = <T extends Float64Array | Int32Array>(a: T): T => {
      const to = new (a.constructor as new (n: number) => T)(a.length * 2);
      to.set(a);
      return to;
    };
    this.names = twice(this.names);
    this.kinds = twice(this.kinds);
    this.starts = twice(this.starts);
    this.content = twice(this.content);
    this.plain = twice(this.plain);
    this.big = twice(this.big);
    this.marks = twice(this.marks);
    this.roles = twice(this.roles);
    this.style = twice(this.style);
    this.lead = twice(this.lead);
    this.link = twice(this.link);
    this.template = twice(this.template);
    this.classed = twice(this.classed);
  }
}
