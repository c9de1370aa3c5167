import fc from "fast-check";
import { JSONPath } from "jsonpath-plus";
import { describe, expect, it } from "vitest";
import { parsePath, readPath } from "../../src/data/path.js";

/**
 * Differential check: on the part of JSONPath where Jayway (AWS) and jsonpath-plus agree
 * (names, indexes, wildcards), our reader must select what jsonpath-plus selects.
 */
const key = fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.integer(),
    fc.boolean(),
    fc.constant(null), // no strings: jsonpath-plus indexes into them, Jayway does not
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(key, tie("node"), { maxKeys: 4 }),
  ),
}));
// jsonpath-plus gives nothing at all for a scalar document, so documents are containers.
const document = fc.oneof(fc.array(tree.node, { maxLength: 3 }), fc.dictionary(key, tree.node, { maxKeys: 4 }));
const step = fc.oneof(
  key.map((k) => `['${k}']`),
  fc.nat(3).map((i) => `[${i}]`),
);
// Jayway gives up on a wildcard that meets a scalar before the last step; jsonpath-plus does not,
// so the wildcard is only ever the last step here.
const path = fc
  .tuple(fc.array(step, { maxLength: 4 }), fc.boolean())
  .map(([steps, wildcard]) => `$${steps.join("")}${wildcard ? "[*]" : ""}`);

describe("JSONPath reads agree with jsonpath-plus where Jayway does", () => {
  it("for names, indexes and wildcards over random documents", () => {
    fc.assert(
      fc.property(document, path, (json, source) => {
        const compiled = parsePath(source);
        if (!compiled.ok) throw new Error(compiled.message);
        const ours = readPath(compiled.value, { input: json });
        const theirs = JSONPath({ path: source, json: json as object, wrap: true, eval: false }) as unknown[];
        if (compiled.value.definite) {
          expect(ours.ok ? [ours.value] : []).toEqual(theirs);
        } else {
          expect(ours).toEqual({ ok: true, value: theirs });
        }
      }),
      { numRuns: 2000 },
    );
  });
});
