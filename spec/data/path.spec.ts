import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parsePath,
  parseReferencePath,
  readPath,
  writePath,
  type CompiledPath,
  type PathDocuments,
  type PathStep,
} from "../../src/data/path.js";

/** Parses a path that must be valid. */
function compiled(source: string): CompiledPath {
  const result = parsePath(source);
  if (!result.ok) throw new Error(`expected '${source}' to parse: ${result.message}`);
  return result.value;
}

function read(source: string, input: unknown, documents: Omit<PathDocuments, "input"> = {}) {
  return readPath(compiled(source), { input, ...documents });
}

function write(document: unknown, source: string, value: unknown) {
  const path = parseReferencePath(source);
  if (!path.ok) throw new Error(path.message);
  return writePath(document, path.value, value);
}

const DOC = {
  a: { b: [1, 2, { c: 3 }] },
  s: "str",
  n: null,
  t: true,
  items: [
    { s: 0, id: "x", tags: ["red", "big"] },
    { s: 1, id: "y", tags: [] },
    { s: 0, id: "z", price: 12.5 },
  ],
};

describe("parsePath: accepted syntax", () => {
  it.each([
    // source, root, variable, definite, reference, steps, query, normalized
    ["$", "input", undefined, true, true, [], "$", "$"],
    ["$$", "context", undefined, true, true, [], "$", "$"],
    ["$.a.b", "input", undefined, true, true, ["a", "b"], "$.a.b", "$['a']['b']"],
    ["$['a b'][0]", "input", undefined, true, true, ["a b", 0], "$['a b'][0]", "$['a b'][0]"],
    ['$["a"]', "input", undefined, true, true, ["a"], '$["a"]', "$['a']"],
    ["$.abc.['def ghi']", "input", undefined, true, true, ["abc", "def ghi"], "$.abc.['def ghi']", "$['abc']['def ghi']"],
    ["$[ 'a' ][ 2 ]", "input", undefined, true, true, ["a", 2], "$[ 'a' ][ 2 ]", "$['a'][2]"],
    ["$.a[-1]", "input", undefined, true, false, ["a", -1], "$.a[-1]", "$['a'][-1]"],
    ["$.delivery-partner", "input", undefined, true, true, ["delivery-partner"], "$.delivery-partner", "$['delivery-partner']"],
    ["$.a$b._c.0", "input", undefined, true, true, ["a$b", "_c", "0"], "$.a$b._c.0", "$['a$b']['_c']['0']"],
    ["$.ü.日本.🙂", "input", undefined, true, true, ["ü", "日本", "🙂"], "$.ü.日本.🙂", "$['ü']['日本']['🙂']"],
    ["$$.Execution.Id", "context", undefined, true, true, ["Execution", "Id"], "$.Execution.Id", "$['Execution']['Id']"],
    ["$$['Map'].Item", "context", undefined, true, true, ["Map", "Item"], "$['Map'].Item", "$['Map']['Item']"],
    ["$myVar", "variable", "myVar", true, true, [], "$", "$"],
    ["$myVar.x", "variable", "myVar", true, true, ["x"], "$.x", "$['x']"],
    ["$order[0]", "variable", "order", true, true, [0], "$[0]", "$[0]"],
    ["$_tmp1.a", "variable", "_tmp1", true, true, ["a"], "$.a", "$['a']"],
    ["$größe.x", "variable", "größe", true, true, ["x"], "$.x", "$['x']"],
    ["$['a','b']", "input", undefined, true, false, [], "$['a','b']", "$['a','b']"],
    ["$.a.length()", "input", undefined, true, false, [], "$.a.length()", "$['a'].length()"],
    ["$.a[*]", "input", undefined, false, false, [], "$.a[*]", "$['a'][*]"],
    ["$.*", "input", undefined, false, false, [], "$.*", "$[*]"],
    ["$..x", "input", undefined, false, false, [], "$..x", "$..['x']"],
    ["$..*", "input", undefined, false, false, [], "$..*", "$..[*]"],
    ["$..['x'][0]", "input", undefined, false, false, [], "$..['x'][0]", "$..['x'][0]"],
    ["$[0,1]", "input", undefined, false, false, [], "$[0,1]", "$[0,1]"],
    ["$[0, -1]", "input", undefined, false, false, [], "$[0, -1]", "$[0,-1]"],
    ["$['a','b'].c", "input", undefined, false, false, [], "$['a','b'].c", "$['a','b']['c']"],
    ["$.a[1:]", "input", undefined, false, false, [], "$.a[1:]", "$['a'][1:]"],
    ["$.a[:2]", "input", undefined, false, false, [], "$.a[:2]", "$['a'][:2]"],
    ["$.a[-3:-1]", "input", undefined, false, false, [], "$.a[-3:-1]", "$['a'][-3:-1]"],
    ["$.a[0:4:2]", "input", undefined, false, false, [], "$.a[0:4:2]", "$['a'][0:4]"],
    ["$.items[?(@.s == 0)]", "input", undefined, false, false, [], "$.items[?(@.s == 0)]", "$['items'][?]"],
    ["$[*][*]", "input", undefined, false, false, [], "$[*][*]", "$[*][*]"],
  ] as const)("%s", (source, root, variable, definite, reference, steps, query, normalized) => {
    const path = compiled(source);
    expect(path.source).toBe(source);
    expect(path.root).toBe(root);
    expect(path.variable).toBe(variable);
    expect(path.definite).toBe(definite);
    expect(path.reference).toBe(reference);
    expect(path.steps).toEqual(steps);
    expect(path.query).toBe(query);
    expect(path.normalized).toBe(normalized);
  });

  it("omits the variable field unless the root is a variable", () => {
    expect(Object.hasOwn(compiled("$.a"), "variable")).toBe(false);
    expect(Object.hasOwn(compiled("$$.a"), "variable")).toBe(false);
  });

  it("keeps the text inside quotes as written, backslashes included (AWS recording ESCAPE_SEQUENCES_JSONPATH)", () => {
    expect(compiled(`$['Test\\""Name"']`).steps).toEqual([`Test\\""Name"`]);
    expect(compiled(`$["a\\"b"]`).steps).toEqual([`a\\"b`]);
    expect(compiled(`$['it\\'s']`).steps).toEqual([`it\\'s`]);
    expect(compiled(`$['a]b.c[d']`).steps).toEqual(["a]b.c[d"]);
    expect(compiled(`$['']`).steps).toEqual([""]);
  });

  it("pre-parses segments, including a slice step (kept but ignored) and filters", () => {
    expect(compiled("$.a[1:3:2]").segments).toEqual([
      { kind: "name", name: "a" },
      { kind: "slice", start: 1, end: 3, step: 2 },
    ]);
    expect(compiled("$..a.*").segments).toEqual([
      { kind: "scan" },
      { kind: "name", name: "a" },
      { kind: "wildcard" },
    ]);
    expect(compiled("$.x[?(@.a == 'q' && !(@.b < -1.5e2) || $.k in [1, 'two', null, true])]").segments).toEqual([
      { kind: "name", name: "x" },
      {
        kind: "filter",
        test: {
          kind: "or",
          left: {
            kind: "and",
            left: {
              kind: "compare",
              operator: "==",
              left: { kind: "path", path: { root: "item", segments: [{ kind: "name", name: "a" }], definite: true } },
              right: { kind: "literal", value: "q" },
            },
            right: {
              kind: "not",
              operand: {
                kind: "compare",
                operator: "<",
                left: { kind: "path", path: { root: "item", segments: [{ kind: "name", name: "b" }], definite: true } },
                right: { kind: "literal", value: -150 },
              },
            },
          },
          right: {
            kind: "compare",
            operator: "in",
            left: { kind: "path", path: { root: "document", segments: [{ kind: "name", name: "k" }], definite: true } },
            right: { kind: "literal", value: [1, "two", null, true] },
          },
        },
      },
    ]);
  });

  it("reads filter existence tests, word operators in any case and Jayway's === / !== forms", () => {
    const segment = (source: string) => compiled(source).segments[0];
    expect(segment("$[?(@.x)]")).toEqual({
      kind: "filter",
      test: { kind: "exists", path: { root: "item", segments: [{ kind: "name", name: "x" }], definite: true } },
    });
    expect(segment("$[?(!@.x[*])]")).toEqual({
      kind: "filter",
      test: {
        kind: "not",
        operand: {
          kind: "exists",
          path: { root: "item", segments: [{ kind: "name", name: "x" }, { kind: "wildcard" }], definite: false },
        },
      },
    });
    const operatorOf = (source: string) => {
      const s = segment(source);
      return s?.kind === "filter" && s.test.kind === "compare" ? s.test.operator : undefined;
    };
    expect(operatorOf("$[?(@.a NIN [1])]")).toBe("nin");
    expect(operatorOf("$[?(@.a SubsetOf [1])]")).toBe("subsetof");
    expect(operatorOf("$[?(@.a anyof [1])]")).toBe("anyof");
    expect(operatorOf("$[?(@.a noneof [1])]")).toBe("noneof");
    expect(operatorOf("$[?(@.a contains 'x')]")).toBe("contains");
    expect(operatorOf("$[?(@.a size 2)]")).toBe("size");
    expect(operatorOf("$[?(@.a empty true)]")).toBe("empty");
    expect(operatorOf("$[?(@.a === 1)]")).toBe("==");
    expect(operatorOf("$[?(@.a !== 1)]")).toBe("!=");
    expect(operatorOf("$[?(@.a>=1)]")).toBe(">=");
    expect(operatorOf("$[?(@.a<=1)]")).toBe("<=");
  });

  it("decodes escapes in filter strings (unlike bracket names)", () => {
    const s = compiled(String.raw`$[?(@.a == 'it\'s \"q\" \\ \/ \n\t\u00e9\x')]`).segments[0];
    expect(s?.kind === "filter" && s.test.kind === "compare" ? s.test.right : undefined).toEqual({
      kind: "literal",
      value: "it's \"q\" \\ / \n\té" + "x",
    });
  });

  it("parses a path of many thousand steps without recursion trouble", () => {
    const source = "$" + ".a".repeat(50_000);
    const path = compiled(source);
    expect(path.steps.length).toBe(50_000);
    expect(path.reference).toBe(true);
  });
});

describe("parsePath: rejected syntax", () => {
  it.each([
    ["", "Invalid JSONPath '': a path must start with '$'"],
    ["a.b", "Invalid JSONPath 'a.b': a path must start with '$'"],
    [" $.a", "Invalid JSONPath ' $.a': a path must start with '$'"],
    ["@.a", "Invalid JSONPath '@.a': a path must start with '$'"],
    ["$.a[", "Invalid JSONPath '$.a[': unclosed bracket '[' at position 3"],
    ["$['a'", "Invalid JSONPath '$['a'': unclosed bracket '[' at position 1"],
    ["$['a", `Invalid JSONPath '$['a': unclosed quote "'" at position 2`],
    ['$["a', `Invalid JSONPath '$["a': unclosed quote '"' at position 2`],
    ["$['a\\']", `Invalid JSONPath '$['a\\']': unclosed quote "'" at position 2`],
    ["$[0", "Invalid JSONPath '$[0': unclosed bracket '[' at position 1"],
    ["$[*", "Invalid JSONPath '$[*': unclosed bracket '[' at position 1"],
    ["$.", "Invalid JSONPath '$.': a path must not end with '.' at position 1"],
    ["$.a.", "Invalid JSONPath '$.a.': a path must not end with '.' at position 3"],
    ["$..", "Invalid JSONPath '$..': '..' must be followed by a name, '*' or '[' at position 1"],
    ["$...a", "Invalid JSONPath '$...a': unexpected '.' at position 3"],
    ["$.a..", "Invalid JSONPath '$.a..': '..' must be followed by a name, '*' or '[' at position 3"],
    [
      "$.a b",
      "Invalid JSONPath '$.a b': whitespace is not allowed in a name after '.' at position 3; use bracket notation such as ['a b'] instead",
    ],
    [
      "$.a ",
      "Invalid JSONPath '$.a ': whitespace is not allowed in a name after '.' at position 3; use bracket notation such as ['a b'] instead",
    ],
    [
      "$.a:b",
      "Invalid JSONPath '$.a:b': ':' is not allowed in a name after '.' at position 3; use bracket notation such as ['a b'] instead",
    ],
    [
      "$.a@b",
      "Invalid JSONPath '$.a@b': '@' is not allowed in a name after '.' at position 3; use bracket notation such as ['a b'] instead",
    ],
    ["$. a", "Invalid JSONPath '$. a': expected a name, '*' or '[' after '.' but found whitespace at position 2"],
    ["$.'a'", `Invalid JSONPath '$.'a'': expected a name, '*' or '[' after '.' but found "'" at position 2`],
    ["$[0] ", "Invalid JSONPath '$[0] ': unexpected whitespace; expected '.' or '[' at position 4"],
    ["$.a[0]b", "Invalid JSONPath '$.a[0]b': unexpected 'b'; expected '.' or '[' at position 6"],
    ["$[]", "Invalid JSONPath '$[]': empty brackets '[]' at position 1"],
    ["$[a]", "Invalid JSONPath '$[a]': unexpected 'a' in brackets; expected a quoted name, an index, '*' or '?(' at position 2"],
    ["$['a' 'b']", "Invalid JSONPath '$['a' 'b']': expected ']' but found \"'\" at position 6"],
    ["$['a',]", "Invalid JSONPath '$['a',]': expected a quoted name but found ']' at position 6"],
    ["$[*,0]", "Invalid JSONPath '$[*,0]': expected ']' but found ',' at position 3"],
    ["$[1,]", "Invalid JSONPath '$[1,]': expected an index at position 4"],
    ["$[1.5]", "Invalid JSONPath '$[1.5]': expected ']' but found '.' at position 3"],
    ["$[-]", "Invalid JSONPath '$[-]': expected a digit after '-' at position 3"],
    ["$[:]", "Invalid JSONPath '$[:]': a slice needs a start or an end at position 1"],
    ["$[::2]", "Invalid JSONPath '$[::2]': a slice needs a start or an end at position 1"],
    ["$[1:2:3:4]", "Invalid JSONPath '$[1:2:3:4]': expected ']' but found ':' at position 7"],
    ["$[0,1:2]", "Invalid JSONPath '$[0,1:2]': expected ']' but found ':' at position 5"],
    ["$[2147483648]", "Invalid JSONPath '$[2147483648]': the index is too large at position 2"],
    ["$$$", "Invalid JSONPath '$$$': expected '.' or '[' after '$$' at position 2"],
    ["$$a", "Invalid JSONPath '$$a': expected '.' or '[' after '$$' at position 2"],
    ["$1", "Invalid JSONPath '$1': expected '.', '[' or a variable name after '$' but found '1' at position 1"],
    ["$*", "Invalid JSONPath '$*': expected '.', '[' or a variable name after '$' but found '*' at position 1"],
    ["$ .a", "Invalid JSONPath '$ .a': expected '.', '[' or a variable name after '$' but found whitespace at position 1"],
    ["$a-b", "Invalid JSONPath '$a-b': character '-' is not allowed in a variable name at position 2"],
    ["$a b", "Invalid JSONPath '$a b': character whitespace is not allowed in a variable name at position 2"],
    ["$.a.length(1)", "Invalid JSONPath '$.a.length(1)': arguments to the function 'length' are not supported at position 11"],
    ["$.a.length().b", "Invalid JSONPath '$.a.length().b': a function call such as 'length()' must end the path at position 12"],
    ["$..length()", "Invalid JSONPath '$..length()': a function such as 'length()' cannot follow '..' at position 9"],
    ["$[?@.a]", "Invalid JSONPath '$[?@.a]': a filter must be written as [?(...)] at position 3"],
    ["$[?(@.a == 1]", "Invalid JSONPath '$[?(@.a == 1]': expected ')' to close the filter but found ']' at position 12"],
    ["$[?(@.a == 1)", "Invalid JSONPath '$[?(@.a == 1)': unclosed bracket '[' at position 1"],
    ["$[?(@.a == 1", "Invalid JSONPath '$[?(@.a == 1': unclosed filter '[?(' at position 1"],
    ["$[?(@.a ==", "Invalid JSONPath '$[?(@.a ==': the filter is not closed at position 10"],
    ["$[?()]", "Invalid JSONPath '$[?()]': expected a value but found ')' at position 4"],
    ["$[?(1)]", "Invalid JSONPath '$[?(1)]': a literal on its own is not a test; compare it with an operator such as '==' at position 4"],
    ["$[?(@.a = 1)]", "Invalid JSONPath '$[?(@.a = 1)]': use '==' to compare at position 8"],
    ["$[?(@.a =~ /x/)]", "Invalid JSONPath '$[?(@.a =~ /x/)]': regular-expression filters (=~) are not supported at position 8"],
    ["$[?(@.a == /x/)]", "Invalid JSONPath '$[?(@.a == /x/)]': regular expressions are not supported in filters at position 11"],
    ["$[?(@.a all [1])]", "Invalid JSONPath '$[?(@.a all [1])]': the filter operator 'all' is not supported at position 8"],
    ["$[?(@.a like 1)]", "Invalid JSONPath '$[?(@.a like 1)]': expected an operator such as '==' but found 'l' at position 8"],
    ["$[?(@.a == {})]", "Invalid JSONPath '$[?(@.a == {})]': object literals are not supported in filters at position 11"],
    ["$[?(@.a == yes)]", "Invalid JSONPath '$[?(@.a == yes)]': unknown value 'yes' at position 11"],
    ["$[?(@.a == 'x)]", `Invalid JSONPath '$[?(@.a == 'x)]': unclosed string "'" at position 11`],
    ["$[?(@.a == 1.)]", "Invalid JSONPath '$[?(@.a == 1.)]': expected a digit after '.' at position 13"],
    ["$[?(@.a == 1e)]", "Invalid JSONPath '$[?(@.a == 1e)]': expected a digit in the exponent at position 13"],
    ["$[?(@.a == 1e999)]", "Invalid JSONPath '$[?(@.a == 1e999)]': the number is too large at position 11"],
    ["$[?(@.a == [1, 2)]", "Invalid JSONPath '$[?(@.a == [1, 2)]': expected ',' or ']' but found ')' at position 16"],
    ["$[?(@.a == '\\u12')]", "Invalid JSONPath '$[?(@.a == '\\u12')]': invalid \\u escape at position 12"],
    ["$[?((@.a == 1]", "Invalid JSONPath '$[?((@.a == 1]': unclosed parenthesis '(' at position 4"],
    ["$[?((@.a == 1)]", "Invalid JSONPath '$[?((@.a == 1)]': expected ')' to close the filter but found ']' at position 14"],
    ["$[?(@.a.length() > 1)]", "Invalid JSONPath '$[?(@.a.length() > 1)]': functions such as 'length()' are not supported in filters at position 14"],
    ["$[?($$.a == 1)]", "Invalid JSONPath '$[?($$.a == 1)]': only '@' and '$' paths can be used in filters at position 4"],
    ["$[?($v == 1)]", "Invalid JSONPath '$[?($v == 1)]': only '@' and '$' paths can be used in filters at position 4"],
    ["$[?(@.a == 1 & @.b)]", "Invalid JSONPath '$[?(@.a == 1 & @.b)]': expected ')' to close the filter but found '&' at position 13"],
    ["$[?(@. a)]", "Invalid JSONPath '$[?(@. a)]': expected a name, '*' or '[' after '.' but found whitespace at position 6"],
  ])("%s", (source, message) => {
    expect(parsePath(source)).toEqual({ ok: false, message });
  });

  it("rejects a value that is not a string without throwing", () => {
    expect(parsePath(42 as unknown as string)).toEqual({ ok: false, message: "A JSONPath must be a string" });
  });

  it("rejects control characters and Unicode white space in dot names", () => {
    expect(parsePath("$.a\u0000")).toEqual({
      ok: false,
      message:
        "Invalid JSONPath '$.a\u0000': control character U+0000 is not allowed in a name after '.' at position 3; use bracket notation such as ['a b'] instead",
    });
    expect(parsePath("$.a\u00a0b").ok).toBe(false);
    expect(parsePath("$.a\u3000b").ok).toBe(false);
  });

  it("bounds filter nesting instead of overflowing the stack", () => {
    const deep = "$[?(" + "(".repeat(10_000) + "@.a" + ")".repeat(10_000) + ")]";
    expect(parsePath(deep)).toEqual({
      ok: false,
      message: `Invalid JSONPath '${deep}': the filter is nested too deeply at position 36`,
    });
    const bangs = "$[?(" + "!".repeat(10_000) + "@.a)]";
    expect(parsePath(bangs).ok).toBe(false);
    const nestedFilters = "$" + "[?(@".repeat(100) + ".a" + ")]".repeat(100);
    expect(parsePath(nestedFilters).ok).toBe(false);
    const fine = "$" + "[?(@".repeat(10) + ".a" + ")]".repeat(10);
    expect(parsePath(fine).ok).toBe(true);
  });
});

describe("parseReferencePath", () => {
  it.each(["$", "$$", "$.a.b", "$['a b'][0]", "$[0].x", "$$.Execution.Input.input-value", "$var.a[2]"])(
    "accepts %s",
    (source) => {
      const result = parseReferencePath(source);
      expect(result.ok && result.value.reference).toBe(true);
    },
  );

  it.each(["$.a[*]", "$..a", "$.a[0,1]", "$.a[1:]", "$[?(@.a)]", "$['a','b']", "$.a[-1]", "$.a.length()", "$.*"])(
    "rejects %s",
    (source) => {
      expect(parseReferencePath(source)).toEqual({
        ok: false,
        message: `'${source}' is not a valid Reference Path: only '.name', "['name']" and '[index]' steps are allowed`,
      });
    },
  );

  it("reports a syntax error as parsePath does", () => {
    expect(parseReferencePath("$.a[")).toEqual({
      ok: false,
      message: "Invalid JSONPath '$.a[': unclosed bracket '[' at position 3",
    });
  });
});

describe("readPath: definite paths", () => {
  it.each([
    ["$", DOC],
    ["$.s", "str"],
    ["$.n", null],
    ["$.t", true],
    ["$.a.b[2].c", 3],
    ["$['a']['b'][0]", 1],
    ["$.a.b[-1]", { c: 3 }],
    ["$.a.b[-3]", 1],
    ["$.items[2].price", 12.5],
    ["$.items[0].tags[1]", "big"],
  ] as const)("%s", (source, expected) => {
    expect(read(source, DOC)).toEqual({ ok: true, value: expected });
  });

  it("returns values as they are, not copies", () => {
    const result = read("$.a.b", DOC);
    expect(result.ok && result.value).toBe(DOC.a.b);
    const whole = read("$", DOC);
    expect(whole.ok && whole.value).toBe(DOC);
  });

  it.each([
    // AWS's recorded texts: a missing last step and a missing intermediate step.
    ["$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']"],
    ["$.no.such", "Missing property in path $['no']"],
    ["$.a.nope", "No results for path: $['a']['nope']"],
    ["$.a.nope.deeper", "Missing property in path $['a']['nope']"],
    ["$.a.b[9]", "No results for path: $['a']['b'][9]"],
    ["$.a.b[9].c", "No results for path: $['a']['b'][9]['c']"],
    ["$.a.b[-4]", "No results for path: $['a']['b'][-4]"],
    ["$.a.b[0].c", "Expected to find an object with property ['c'] in path $['a']['b'][0] but found 'number'"],
    ["$.s.x", "Expected to find an object with property ['x'] in path $['s'] but found 'string'"],
    ["$.n.x", "Expected to find an object with property ['x'] in path $['n'] but found 'null'"],
    ["$.t.x", "Expected to find an object with property ['x'] in path $['t'] but found 'boolean'"],
    ["$.a.b.length", "Expected to find an object with property ['length'] in path $['a']['b'] but found 'array'"],
    ["$.n[0]", "The path $['n'] is null"],
    ["$.a[0]", 'Filter: [0] can only be applied to arrays. Current context is: {"b":[1,2,{"c":3}]}'],
    ["$.a[0].x.y", 'Filter: [0][\'x\'][\'y\'] can only be applied to arrays. Current context is: {"b":[1,2,{"c":3}]}'],
    ["$.s[0]", "Filter: [0] can only be applied to arrays. Current context is: str"],
    ["$.a.b.length()", "Path functions such as 'length()' are not supported"],
    ["$.nope.sum()", "Missing property in path $['nope']"],
  ])("%s misses with Jayway's words", (source, message) => {
    expect(read(source, DOC)).toEqual({ ok: false, message });
  });

  it("misses on a document that is not an object", () => {
    expect(read("$.a", [1])).toEqual({
      ok: false,
      message: "Expected to find an object with property ['a'] in path $ but found 'array'",
    });
    expect(read("$[0]", { a: 1 })).toEqual({
      ok: false,
      message: 'Filter: [0] can only be applied to arrays. Current context is: {"a":1}',
    });
    expect(read("$", "plain")).toEqual({ ok: true, value: "plain" });
  });

  it("merges a final name union into one object, as Jayway does", () => {
    expect(read("$['a','s','nope']", DOC)).toEqual({ ok: true, value: { a: DOC.a, s: "str" } });
    expect(read("$.items[0]['id','s']", DOC)).toEqual({ ok: true, value: { id: "x", s: 0 } });
    expect(read("$['x','y']", {})).toEqual({ ok: true, value: {} });
    expect(read("$.x['a','b']", {})).toEqual({ ok: false, message: "Missing property in path $['x']" });
    expect(read("$.s['a','b']", DOC)).toEqual({
      ok: false,
      message: "Expected to find an object with property ['a','b'] in path $['s'] but found 'string'",
    });
  });
});

describe("readPath: roots", () => {
  const context = { Execution: { Id: "arn:exec", Input: { "input-value": 0 } }, Map: { Item: { Index: 2 } } };
  const variables = { order: { id: 7, lines: [{ sku: "a" }, { sku: "b" }] }, zero: 0, nothing: null };

  it("reads the context object with $$", () => {
    expect(read("$$", {}, { context })).toEqual({ ok: true, value: context });
    expect(read("$$.Execution.Id", {}, { context })).toEqual({ ok: true, value: "arn:exec" });
    expect(read("$$.Execution.Input.input-value", {}, { context })).toEqual({ ok: true, value: 0 });
    expect(read("$$.Map.Item.Value", {}, { context })).toEqual({
      ok: false,
      message: "No results for path: $['Map']['Item']['Value']",
    });
    expect(read("$$..Index", {}, { context })).toEqual({ ok: true, value: [2] });
  });

  it("fails when no context object is given", () => {
    expect(read("$$.Execution.Id", {})).toEqual({ ok: false, message: "No context object is available" });
  });

  it("reads variables with $name", () => {
    expect(read("$order", {}, { variables })).toEqual({ ok: true, value: variables.order });
    expect(read("$order.id", {}, { variables })).toEqual({ ok: true, value: 7 });
    expect(read("$order.lines[1].sku", {}, { variables })).toEqual({ ok: true, value: "b" });
    expect(read("$order.lines[*].sku", {}, { variables })).toEqual({ ok: true, value: ["a", "b"] });
    expect(read("$zero", {}, { variables })).toEqual({ ok: true, value: 0 });
    expect(read("$nothing", {}, { variables })).toEqual({ ok: true, value: null });
    expect(read("$order.nope", {}, { variables })).toEqual({ ok: false, message: "No results for path: $['nope']" });
  });

  it("fails for a variable that does not exist, reading own properties only", () => {
    expect(read("$missing.a", {}, { variables })).toEqual({ ok: false, message: "The variable '$missing' is not defined" });
    expect(read("$order", {})).toEqual({ ok: false, message: "The variable '$order' is not defined" });
    expect(read("$toString", {}, { variables })).toEqual({ ok: false, message: "The variable '$toString' is not defined" });
    expect(read("$__proto__", {}, { variables })).toEqual({
      ok: false,
      message: "The variable '$__proto__' is not defined",
    });
  });

  it("lets a filter's $ mean the root of the document being queried", () => {
    expect(read("$.items[?(@.s == $.limit)].id", { limit: 1, items: [{ s: 1, id: "a" }, { s: 2, id: "b" }] })).toEqual({
      ok: true,
      value: ["a"],
    });
    const vars = { cfg: { limit: 2, items: [{ s: 1, id: "a" }, { s: 2, id: "b" }] } };
    expect(read("$cfg.items[?(@.s == $.limit)].id", { limit: 1 }, { variables: vars })).toEqual({ ok: true, value: ["b"] });
  });
});

describe("readPath: indefinite paths", () => {
  it.each([
    ["$.items[*].id", ["x", "y", "z"]],
    ["$.items.*.id", ["x", "y", "z"]],
    ["$.a.*", [DOC.a.b]],
    ["$.items[0,2].id", ["x", "z"]],
    ["$.items[2,0,9,-1].id", ["z", "x", "z"]],
    ["$.items[*].tags[*]", ["red", "big"]],
    ["$.items[*].price", [12.5]],
    ["$.items[*]['id','s']", [{ id: "x", s: 0 }, { id: "y", s: 1 }, { id: "z", s: 0 }]],
    // A name union that is not last iterates its names: "x"[0] selects nothing, tags[0] is "red".
    ["$.items[0]['id','tags'][0]", ["red"]],
    ["$.a['b','zz'][0]", [1]],
    ["$..c", [3]],
    ["$..s", ["str", 0, 1, 0]],
    ["$..[0]", [1, DOC.items[0], "red"]],
    ["$..['id','s']", [{ id: "x", s: 0 }, { id: "y", s: 1 }, { id: "z", s: 0 }]],
    ["$..tags[*]", ["red", "big"]],
    ["$..[?(@.price)].id", ["z"]],
    ["$[*][*]", [DOC.a.b, DOC.items[0], DOC.items[1], DOC.items[2]]],
  ] as const)("%s", (source, expected) => {
    expect(read(source, DOC)).toEqual({ ok: true, value: expected });
  });

  it("walks a deep scan in Jayway's pre-order", () => {
    const doc = { a: { b: 1, c: { d: 2 } }, e: [3, { f: 4 }] };
    expect(read("$..*", doc)).toEqual({
      ok: true,
      value: [doc.a, doc.e, 1, doc.a.c, 2, 3, doc.e[1], 4],
    });
    expect(read("$..d", doc)).toEqual({ ok: true, value: [2] });
    expect(read("$..*", 5)).toEqual({ ok: true, value: [] });
  });

  it.each([
    // Jayway's slice arithmetic: [a:] and [:b] count negatives from the end; [a:b] clamps b only.
    ["$[1:]", [1, 2, 3, 4]],
    ["$[-2:]", [3, 4]],
    ["$[-9:]", [0, 1, 2, 3, 4]],
    ["$[9:]", []],
    ["$[:2]", [0, 1]],
    ["$[:-1]", [0, 1, 2, 3]],
    ["$[:-9]", []],
    ["$[:99]", [0, 1, 2, 3, 4]],
    ["$[1:3]", [1, 2]],
    ["$[3:1]", []],
    ["$[1:-1]", []],
    ["$[-3:-1]", [2, 3]],
    ["$[-2:2]", [3, 4, 0, 1]],
    ["$[0:4:2]", [0, 1, 2, 3]],
    // Each index from -5 to 4 selects (negatives from the end); lower ones select nothing and are skipped cheaply.
    ["$[-2147483648:2147483647]", [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]],
  ] as const)("slice %s of [0..4]", (source, expected) => {
    expect(read(source, [0, 1, 2, 3, 4])).toEqual({ ok: true, value: expected });
  });

  it("slices an empty array to nothing", () => {
    expect(read("$[0:]", [])).toEqual({ ok: true, value: [] });
    expect(read("$[:1]", [])).toEqual({ ok: true, value: [] });
    expect(read("$[0:1]", [])).toEqual({ ok: true, value: [] });
  });

  it.each([
    // AWS recordings: indefinite paths that match nothing give [] (test_json_path_array_wildcard_or_slice_with_no_input).
    "$[*]",
    "$.items[*]",
    "$.items[1:]",
    "$.items[:1]",
    "$.item.items[*]",
    "$.item.items[1:5]",
    "$.items[*].itemValue",
    "$.item.items[1:5].itemValue",
    "$..x",
    "$[0,1]",
    "$.a[?(@.b)]",
    "$.a['b','c'].d",
  ])("%s on {} is []", (source) => {
    expect(read(source, {})).toEqual({ ok: true, value: [] });
  });

  it("yields [] when the definite prefix of an indefinite path misses or hits the wrong type", () => {
    expect(read("$.s[*]", DOC)).toEqual({ ok: true, value: [] });
    expect(read("$.n[0,1]", DOC)).toEqual({ ok: true, value: [] });
    expect(read("$.s[1:]", DOC)).toEqual({ ok: true, value: [] });
    expect(read("$.s[?(@.a)]", DOC)).toEqual({ ok: true, value: [] });
    expect(read("$.a.b[*].c", DOC)).toEqual({ ok: true, value: [3] });
  });

  it("yields [] when a wildcard that is not last meets a scalar (Jayway aborts the read)", () => {
    expect(read("$[*][*][0]", [[[1]], 2])).toEqual({ ok: true, value: [] });
    expect(read("$[*][*][0]", [[[1]], [[2]]])).toEqual({ ok: true, value: [1, 2] });
    expect(read("$[*].*.x", [{ a: { x: 1 } }, "s"])).toEqual({ ok: true, value: [] });
    expect(read("$[*].*.x", [{ a: { x: 1 } }, { b: { x: 2 } }])).toEqual({ ok: true, value: [1, 2] });
    // A final wildcard on a scalar simply selects nothing.
    expect(read("$[*][*]", [[1], 2])).toEqual({ ok: true, value: [1] });
    expect(read("$.*[*]", { a: [1], b: "x" })).toEqual({ ok: true, value: [1] });
  });
});

describe("readPath: filters", () => {
  const items = [
    { s: 0, id: "a", n: 5, tags: ["x", "y"], name: "alpha", o: { k: 1 } },
    { s: 1, id: "b", n: 10, tags: [], name: "beta", flag: false },
    { s: 0, id: "c", n: "10", tags: ["y"], name: "", flag: null },
    { id: "d", n: 2.5, o: {} },
    7,
    "text",
  ];
  const ids = (filter: string) => read(`$[?(${filter})].id`, items);

  it.each([
    // AWS/LS example: filter on a numeric member.
    ["@.s == 0", ["a", "c"]],
    ["@.s != 0", ["b", "d"]],
    ["@.n > 5", ["b"]],
    ["@.n >= 5", ["a", "b"]],
    ["@.n < 5", ["d"]],
    ["@.n <= 5", ["a", "d"]],
    ["@.n == '10'", ["c"]],
    ["@.n == 10", ["b"]],
    ["@.n > '1'", ["c"]],
    ["@.name < 'b'", ["a", "c"]],
    ["@.id == \"b\"", ["b"]],
    ["@.flag == false", ["b"]],
    ["@.flag == null", ["c"]],
    ["@.flag", ["b", "c"]],
    ["!@.flag", ["a", "d"]],
    ["@.s", ["a", "b", "c"]],
    ["@.o == {}".replace("{}", "@.o"), ["a", "d"]],
    ["@.tags == ['x', 'y']", ["a"]],
    ["@.tags == []", ["b"]],
    ["@.s == 0 && @.n > 6", []],
    ["@.s == 0 || @.n > 6", ["a", "b", "c"]],
    ["@.s == 1 || @.s == 0 && @.id == 'c'", ["b", "c"]],
    ["(@.s == 1 || @.s == 0) && @.id == 'c'", ["c"]],
    ["!(@.s == 0)", ["b", "d"]],
    ["!!(@.s == 0)", ["a", "c"]],
    ["@.id in ['a', 'd', 'z']", ["a", "d"]],
    ["@.id nin ['a', 'd']", ["b", "c"]],
    ["@.s in [1]", ["b"]],
    ["@.s nin [1]", ["a", "c", "d"]],
    ["@.tags contains 'y'", ["a", "c"]],
    ["@.name contains 'ph'", ["a"]],
    ["@.tags size 2", ["a"]],
    ["@.name size 4", ["b"]],
    ["@.tags empty true", ["b"]],
    ["@.tags empty false", ["a", "c"]],
    ["@.o empty true", ["d"]],
    ["@.name empty true", ["c"]],
    ["@.tags subsetof ['x', 'y', 'z']", ["a", "b", "c"]],
    ["@.tags anyof ['x']", ["a"]],
    ["@.tags noneof ['x']", ["b", "c"]],
    ["@.o.k == 1", ["a"]],
    ["@['o']['k'] == 1", ["a"]],
    ["@.tags[0] == 'y'", ["c"]],
    ["@.tags[*] contains 'x'", ["a"]],
    ["@.tags[*]", ["a", "c"]],
    ["@.missing != 1", ["a", "b", "c", "d"]],
    ["@.missing == @.other", []],
    ["1 == @.s", ["b"]],
    ["'a' == @.id", ["a"]],
    ["@.s===0", ["a", "c"]],
    ["@.n == 2.5e0", ["d"]],
    ["@.n == -5", []],
  ])("[?(%s)]", (filter, expected) => {
    expect(ids(filter)).toEqual({ ok: true, value: expected });
  });

  it("tests scalars with a bare @", () => {
    expect(read("$[?(@ > 2)]", [1, 2, 3, "4", 5])).toEqual({ ok: true, value: [3, 5] });
    expect(read("$[?(@ == 'text')]", items)).toEqual({ ok: true, value: ["text"] });
    expect(read("$[?(@)]", [0, null, false])).toEqual({ ok: true, value: [0, null, false] });
  });

  it("tests an object itself when the filter is applied to an object", () => {
    expect(read("$.o[?(@.k == 1)]", { o: { k: 1 } })).toEqual({ ok: true, value: [{ k: 1 }] });
    expect(read("$.o[?(@.k == 2)]", { o: { k: 1 } })).toEqual({ ok: true, value: [] });
  });

  it("supports nested filters inside filter paths", () => {
    const orders = [
      { id: 1, lines: [{ qty: 0 }, { qty: 3 }] },
      { id: 2, lines: [{ qty: 0 }] },
    ];
    expect(read("$[?(@.lines[?(@.qty > 0)])].id", orders)).toEqual({ ok: true, value: [1] });
  });

  it("selects nothing when a word operator meets the wrong types", () => {
    expect(ids("@.id in 'abc'")).toEqual({ ok: true, value: [] });
    expect(ids("@.id nin 'abc'")).toEqual({ ok: true, value: [] });
    expect(ids("@.tags size '2'")).toEqual({ ok: true, value: [] });
    expect(ids("@.tags empty 'yes'")).toEqual({ ok: true, value: [] });
    expect(ids("@.n empty true")).toEqual({ ok: true, value: [] });
    expect(ids("@.n contains 1")).toEqual({ ok: true, value: [] });
    expect(ids("@.tags subsetof 'x'")).toEqual({ ok: true, value: [] });
    expect(ids("@.o < @.o")).toEqual({ ok: true, value: [] });
  });
});

describe("prototype safety", () => {
  it("never reads inherited members", () => {
    expect(read("$.__proto__", {})).toEqual({ ok: false, message: "No results for path: $['__proto__']" });
    expect(read("$.constructor", {})).toEqual({ ok: false, message: "No results for path: $['constructor']" });
    expect(read("$.toString", {})).toEqual({ ok: false, message: "No results for path: $['toString']" });
    expect(read("$.constructor.prototype", {})).toEqual({ ok: false, message: "Missing property in path $['constructor']" });
    expect(read("$.a.__proto__.x", { a: {} })).toEqual({ ok: false, message: "Missing property in path $['a']['__proto__']" });
    expect(read("$..constructor", { a: { b: [] } })).toEqual({ ok: true, value: [] });
    expect(read("$[*].constructor", [{}, { constructor: 1 }])).toEqual({ ok: true, value: [1] });
    expect(read("$[*]['__proto__','toString'].x", [{}])).toEqual({ ok: true, value: [] });
    expect(read("$.*.hasOwnProperty", { a: {}, b: [] })).toEqual({ ok: true, value: [] });
    expect(read("$[?(@.constructor)]", [{}, { constructor: 1 }])).toEqual({ ok: true, value: [{ constructor: 1 }] });
    expect(read("$['__proto__','constructor']", {})).toEqual({ ok: true, value: {} });
  });

  it("reads own __proto__ and constructor keys as plain data", () => {
    const doc = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c"}') as unknown;
    expect(read("$.__proto__.x", doc)).toEqual({ ok: true, value: 1 });
    expect(read("$.constructor", doc)).toEqual({ ok: true, value: "c" });
    expect(read("$.*", doc)).toEqual({ ok: true, value: [{ x: 1 }, "c"] });
    const merged = read("$['__proto__','constructor']", doc);
    expect(merged.ok).toBe(true);
    const value = merged.ok ? (merged.value as object) : {};
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__", "constructor"]);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"x":1},"constructor":"c"}');
  });

  it("writes __proto__ keys as plain data and never pollutes prototypes", () => {
    const result = write({}, "$.__proto__.polluted", "yes");
    expect(result.ok).toBe(true);
    const value = result.ok ? (result.value as Record<string, unknown>) : {};
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":"yes"}}');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)["polluted"]).toBeUndefined();

    const existing = JSON.parse('{"__proto__": {"a": 1}}') as unknown;
    const again = write(existing, "$.__proto__.b", 2);
    expect(again.ok && JSON.stringify(again.value)).toBe('{"__proto__":{"a":1,"b":2}}');
    expect(JSON.stringify(existing)).toBe('{"__proto__":{"a":1}}');
  });
});

describe("writePath", () => {
  it("replaces the document at $", () => {
    expect(write({ a: 1 }, "$", [1, 2])).toEqual({ ok: true, value: [1, 2] });
    expect(write("anything", "$", null)).toEqual({ ok: true, value: null });
  });

  it("creates missing objects along the path", () => {
    expect(write({ keep: 1 }, "$.a.b.c", "v")).toEqual({ ok: true, value: { keep: 1, a: { b: { c: "v" } } } });
    expect(write(undefined, "$.a", 1)).toEqual({ ok: true, value: { a: 1 } });
    expect(write({}, "$['a b'].c", null)).toEqual({ ok: true, value: { "a b": { c: null } } });
  });

  it("overwrites an existing value and keeps the key order", () => {
    const result = write({ x: 1, a: { b: "old", z: 2 }, y: 3 }, "$.a.b", { n: 1 });
    expect(result).toEqual({ ok: true, value: { x: 1, a: { b: { n: 1 }, z: 2 }, y: 3 } });
    expect(Object.keys(result.ok ? (result.value as object) : {})).toEqual(["x", "a", "y"]);
  });

  it("copies only the objects on the path, sharing the rest and never mutating the input", () => {
    const input = { a: { b: { c: 1 }, sib: { deep: [1] } }, other: { o: 1 }, list: [{ p: 1 }, { q: 2 }] };
    const snapshot = structuredClone(input);
    const result = write(input, "$.a.b.c", 2);
    expect(result.ok).toBe(true);
    const out = (result.ok ? result.value : {}) as typeof input;
    expect(out.a.b.c).toBe(2);
    expect(out).not.toBe(input);
    expect(out.a).not.toBe(input.a);
    expect(out.a.b).not.toBe(input.a.b);
    expect(out.a.sib).toBe(input.a.sib);
    expect(out.other).toBe(input.other);
    expect(out.list).toBe(input.list);
    expect(input).toEqual(snapshot);

    const listResult = write(input, "$.list[1].q", 3);
    const listOut = (listResult.ok ? listResult.value : {}) as typeof input;
    expect(listOut.list).toEqual([{ p: 1 }, { q: 3 }]);
    expect(listOut.list).not.toBe(input.list);
    expect(listOut.list[0]).toBe(input.list[0]);
    expect(listOut.a).toBe(input.a);
    expect(input).toEqual(snapshot);
  });

  it("writes into an existing array element", () => {
    expect(write({ l: [1, 2, 3] }, "$.l[2]", "x")).toEqual({ ok: true, value: { l: [1, 2, "x"] } });
    expect(write([0, { a: 1 }], "$[1].b", 2)).toEqual({ ok: true, value: [0, { a: 1, b: 2 }] });
  });

  it.each([
    ["$.l[3]", { l: [1, 2, 3] }, "Cannot write to '$.l[3]': index [3] is out of bounds for $['l'] (length 3)"],
    ["$.l[0]", {}, "Cannot write to '$.l[0]': $['l'] does not exist, so its index [0] cannot be set"],
    ["$.l[0]", { l: { 0: "a" } }, "Cannot write to '$.l[0]': $['l'] is an object, not an array"],
    ["$.s.x", { s: "str" }, "Cannot write to '$.s.x': $['s'] is a string, not an object"],
    ["$.n.x", { n: null }, "Cannot write to '$.n.x': $['n'] is null, not an object"],
    ["$.l.x", { l: [] }, "Cannot write to '$.l.x': $['l'] is an array, not an object"],
    ["$.a.b.c", { a: { b: 5 } }, "Cannot write to '$.a.b.c': $['a']['b'] is a number, not an object"],
    ["$.a", "text", "Cannot write to '$.a': $ is a string, not an object"],
    ["$.a", [1], "Cannot write to '$.a': $ is an array, not an object"],
    ["$[0]", { a: 1 }, "Cannot write to '$[0]': $ is an object, not an array"],
  ])("%s into %j fails", (source, document, message) => {
    expect(write(document, source, 1)).toEqual({ ok: false, message });
  });

  it("writes only Reference Paths on the state's data", () => {
    expect(writePath({}, compiled("$$.a"), 1)).toEqual({
      ok: false,
      message: "Cannot write to '$$.a': only paths on the state's data ('$') can be written",
    });
    expect(writePath({}, compiled("$v.a"), 1)).toEqual({
      ok: false,
      message: "Cannot write to '$v.a': only paths on the state's data ('$') can be written",
    });
    expect(writePath({ a: [1] }, compiled("$.a[*]"), 1)).toEqual({
      ok: false,
      message: "Cannot write to '$.a[*]': it is not a Reference Path",
    });
    expect(writePath({ a: [1] }, compiled("$.a[-1]"), 1)).toEqual({
      ok: false,
      message: "Cannot write to '$.a[-1]': it is not a Reference Path",
    });
  });

  it("writes a long path without recursion trouble", () => {
    const source = "$" + ".a".repeat(20_000);
    const result = writePath({}, compiled(source), 1);
    expect(result.ok).toBe(true);
    expect(readPath(compiled(source), { input: result.ok ? result.value : undefined })).toEqual({ ok: true, value: 1 });
  });
});

describe("robustness", () => {
  it("scans a very deep document without overflowing the stack", () => {
    let deep: unknown = { x: "bottom" };
    for (let i = 0; i < 100_000; i++) deep = { n: deep };
    expect(read("$..x", deep)).toEqual({ ok: true, value: ["bottom"] });
  });

  it("compares very deep values in filters without overflowing the stack", () => {
    let a: unknown = 1;
    let b: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      a = [a];
      b = [b];
    }
    expect(read("$[?(@.v == $.w)]", { v: a, w: b })).toEqual({ ok: true, value: [{ v: a, w: b }] });
  });

  it("never throws on arbitrary text, and any accepted path reads without throwing", () => {
    const pathText = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }).map((s) => "$" + s),
      fc
        .array(
          fc.constantFrom(".", "..", "[", "]", "'", '"', "*", "?", "(", ")", "@", "$", "a", "0", "-1", ":", ",", " ", "==", "&&", "!", "\\"),
          { maxLength: 25 },
        )
        .map((parts) => "$" + parts.join("")),
    );
    fc.assert(
      fc.property(pathText, fc.jsonValue({ maxDepth: 4 }), (text, json) => {
        const result = parsePath(text);
        if (!result.ok) {
          expect(result.message.startsWith(`Invalid JSONPath '${text}': `)).toBe(true);
          return;
        }
        const value = readPath(result.value, { input: json, context: json, variables: { a: json } });
        // An indefinite path reads a list, unless it starts at a variable that does not exist.
        const unknownVariable = result.value.root === "variable" && result.value.variable !== "a";
        if (!result.value.definite && !unknownVariable) expect(value.ok && Array.isArray(value.value)).toBe(true);
        if (unknownVariable) expect(value).toEqual({ ok: false, message: `The variable '$${result.value.variable}' is not defined` });
      }),
      { numRuns: 3000 },
    );
  });
});

/** Every location in a JSON value, as steps from the root. */
function locations(value: unknown, prefix: PathStep[] = [], out: PathStep[][] = []): PathStep[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => locations(item, [...prefix, i], out));
  else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) locations((value as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

/** Writes steps as path text; undefined when a name cannot be written (both quotes, or a backslash). */
function pathText(steps: readonly PathStep[], negative: (i: number) => number | undefined = () => undefined) {
  let text = "$";
  for (const [i, step] of steps.entries()) {
    if (typeof step === "number") text += `[${negative(i) ?? step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(step)) text += `.${step}`;
    else if (step.includes("\\")) return undefined;
    else if (!step.includes("'")) text += `['${step}']`;
    else if (!step.includes('"')) text += `["${step}"]`;
    else return undefined;
  }
  return text;
}

function at(value: unknown, steps: readonly PathStep[]): unknown {
  let node = value;
  for (const step of steps) node = (node as Record<string | number, unknown>)[step];
  return node;
}

describe("properties", () => {
  const documents = fc.jsonValue({ maxDepth: 5 });

  it("reading a definite path built from a real location returns exactly that value", () => {
    fc.assert(
      fc.property(documents, fc.nat(), fc.boolean(), (json, pick, useNegative) => {
        const all = locations(json);
        const steps = all[pick % all.length] ?? [];
        const negative = (i: number) => {
          if (!useNegative) return undefined;
          const parent = at(json, steps.slice(0, i)) as unknown[];
          return (steps[i] as number) - parent.length;
        };
        const text = pathText(steps, negative);
        fc.pre(text !== undefined);
        const path = compiled(text ?? "$");
        expect(path.definite).toBe(true);
        expect(path.reference).toBe(!useNegative || !steps.some((s) => typeof s === "number"));
        const result = readPath(path, { input: json });
        expect(result.ok).toBe(true);
        expect(result.ok && Object.is(result.value, at(json, steps))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("writePath then readPath returns the written value and leaves the input untouched", () => {
    fc.assert(
      fc.property(documents, fc.nat(), fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), (json, pick, fresh, value) => {
        const all = locations(json);
        const base = all[pick % all.length] ?? [];
        const parent = at(json, base);
        // Write either over an existing location or to a new key under an object.
        const steps =
          typeof parent === "object" && parent !== null && !Array.isArray(parent) && base.length % 2 === 0
            ? [...base, fresh]
            : base;
        const text = pathText(steps);
        fc.pre(text !== undefined);
        const snapshot = structuredClone(json);
        const written = write(json, text ?? "$", value);
        expect(written.ok).toBe(true);
        const back = readPath(compiled(text ?? "$"), { input: written.ok ? written.value : undefined });
        expect(back.ok && Object.is(back.value, value)).toBe(true);
        expect(json).toEqual(snapshot);
      }),
      { numRuns: 500 },
    );
  });

  it("$..* selects every node below the root exactly once", () => {
    fc.assert(
      fc.property(documents, (json) => {
        const result = read("$..*", json);
        expect(result.ok && (result.value as unknown[]).length).toBe(locations(json).length - 1);
      }),
      { numRuns: 300 },
    );
  });
});

const CASES_FILE = fileURLToPath(new URL("../../../shared/conformance/cases.json", import.meta.url));
const haveCases = existsSync(CASES_FILE);

describe.skipIf(!haveCases)(
  `AWS conformance recordings${haveCases ? "" : " (skipped: ../shared/conformance/cases.json is not present)"}`,
  () => {
    interface RecordedCase {
      readonly id: string;
      readonly definition: { readonly QueryLanguage?: string; readonly States?: Record<string, Record<string, unknown>> };
      readonly input: unknown;
      readonly expected: { readonly status: string; readonly output?: unknown };
    }
    const cases = haveCases ? (JSON.parse(readFileSync(CASES_FILE, "utf8")) as { cases: RecordedCase[] }).cases : [];

    it("accepts every path the recorded definitions use, as a Reference Path where the field needs one", () => {
      const referenceFields = /^(ResultPath|ItemsPath|Variable|.+Path)$/;
      const failures: string[] = [];
      let checked = 0;
      const visit = (value: unknown, key: string): void => {
        if (typeof value === "string") {
          if (!value.startsWith("$")) return;
          const isReference = key !== "InputPath" && key !== "OutputPath" && referenceFields.test(key);
          if (!isReference && !key.endsWith(".$") && key !== "InputPath" && key !== "OutputPath") return;
          checked += 1;
          const result = isReference ? parseReferencePath(value) : parsePath(value);
          if (!result.ok) failures.push(`${key}: ${result.message}`);
        } else if (Array.isArray(value)) {
          for (const item of value) visit(item, key);
        } else if (typeof value === "object" && value !== null) {
          for (const [k, v] of Object.entries(value)) visit(v, k);
        }
      };
      for (const recorded of cases) visit(recorded.definition, "");
      expect(checked).toBeGreaterThan(100);
      expect(failures).toEqual([]);
    });

    it("reads like AWS in single Pass states whose Parameters are all input paths", () => {
      let checked = 0;
      for (const recorded of cases) {
        const states = Object.values(recorded.definition.States ?? {});
        const state = states[0];
        if (states.length !== 1 || state?.["Type"] !== "Pass" || recorded.definition.QueryLanguage !== undefined) continue;
        if (["InputPath", "OutputPath", "ResultPath"].some((f) => f in state)) continue;
        const parameters = state["Parameters"];
        if (typeof parameters !== "object" || parameters === null || recorded.expected.status !== "SUCCEEDED") continue;
        const entries = Object.entries(parameters);
        const onlyInputPaths = entries.every(
          ([k, v]) => k.endsWith(".$") && typeof v === "string" && v.startsWith("$") && !v.startsWith("$$"),
        );
        if (!onlyInputPaths) continue;
        const output: Record<string, unknown> = {};
        for (const [key, source] of entries) {
          const result = read(source as string, recorded.input);
          expect(result.ok, recorded.id).toBe(true);
          output[key.slice(0, -2)] = result.ok ? result.value : undefined;
        }
        expect(output, recorded.id).toEqual(recorded.expected.output);
        checked += 1;
      }
      expect(checked).toBe(13);
    });
  },
);
